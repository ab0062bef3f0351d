/**
 * Batch references. A batch too large to travel inline (a request body is at most 1 MiB;
 * an inline object list reaches that near 5,000 objects) travels as a reference to a
 * manifest: an immutable JSON-lines object in S3 that lists the batch's objects, one
 * `{key, bucket?, size?, etag?, last_modified?}` per line (the inline list's shape).
 * The bookmarks service writes one, and dq and the loader read one, for `{manifest, ...}`.
 */
import { URI_MAX_LENGTH } from './options.js';

/** A batch of more objects than this travels as a manifest (the bookmarks service's default). */
export const BATCH_INLINE_MAX_OBJECTS = 1000;

/** The most objects a manifest may list. */
export const BATCH_MANIFEST_MAX_OBJECTS = 10_000_000;

/** Where dagwright's services keep manifests, under a root they are given (or the source bucket's). */
export const BATCH_MANIFEST_PREFIX = '_dagwright/batches';

/** `{manifest: "s3://bucket/key.jsonl", source?, count?, total_bytes?}`: what crosses XCom for a large batch. */
export interface BatchManifestRef {
  /** `s3://bucket/key` of the manifest object. */
  readonly manifest: string;
  /** `s3://bucket/prefix/`: the bucket of the lines that name none. */
  readonly source?: string;
  /** How many objects the manifest lists; a reader refuses a manifest that lists another number. */
  readonly count?: number;
  readonly total_bytes?: number;
  /** The sha256 of the manifest's bytes, as written; a reader refuses a manifest whose bytes hash otherwise. */
  readonly sha256?: string;
}

/** The JSON Schema of the `manifest` field (dq's `dataset`, the loader's `batch`, the bookmarks result). */
export const batchManifestUriSchema = {
  type: 'string',
  pattern: '^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+[^/]$',
  maxLength: URI_MAX_LENGTH,
  description: 'An immutable JSON-lines manifest in S3: one {key, bucket?, size?, etag?, last_modified?} per line.',
} as const;

/** The JSON Schema of `sha256` on a reference. */
export const batchManifestSha256Schema = { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'The sha256 of the manifest object, hex: a reader refuses one whose bytes hash otherwise.' } as const;

/** The JSON Schema of `count` on a reference. */
export const batchManifestCountSchema = { type: 'integer', minimum: 1, maximum: BATCH_MANIFEST_MAX_OBJECTS } as const;

export function isBatchManifestRef(value: unknown): value is BatchManifestRef {
  return typeof value === 'object' && value !== null && typeof (value as { manifest?: unknown }).manifest === 'string';
}
