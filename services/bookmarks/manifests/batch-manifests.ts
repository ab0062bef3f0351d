/**
 * Where the bookmarks service writes the manifest of a large batch (src/contract/batch.ts):
 * `<root>/bookmark=<name>/run=<run id>/<sha256>.jsonl`, the root being
 * `DAGWRIGHT_BOOKMARKS_MANIFEST_ROOT` (`s3://bucket/prefix`), else `_dagwright/batches` in
 * the source's bucket (which a bookmark's listing never reads back: ../../kit/s3/data-keys.ts).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { BATCH_MANIFEST_PREFIX, BATCH_INLINE_MAX_OBJECTS, type BatchManifestRef } from '../../../src/contract/index.js';
import { writeManifest } from '../../kit/batch-manifest/index.js';
import { requireS3Uri } from '../domain/s3-uri.js';
import type { ObjectVersion } from '../domain/types.js';

export interface BatchManifests {
  /** A batch of more objects than this is written as a manifest. */
  readonly inlineMax: number;
  write(bookmark: string, runId: string, source: string, objects: readonly ObjectVersion[]): Promise<BatchManifestRef>;
}

/** Hive-style escaping of a partition value (`:` → `%3A`). */
const escape = (value: string) => value.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

export class S3BatchManifests implements BatchManifests {
  constructor(
    private readonly client: S3Client,
    private readonly root: { readonly bucket: string; readonly prefix: string } | undefined,
    readonly inlineMax: number = BATCH_INLINE_MAX_OBJECTS,
  ) {}

  async write(bookmark: string, runId: string, source: string, objects: readonly ObjectVersion[]): Promise<BatchManifestRef> {
    const root = this.root ?? { bucket: requireS3Uri(source).bucket, prefix: BATCH_MANIFEST_PREFIX };
    const prefix = [root.prefix.replace(/^\/+|\/+$/g, ''), `bookmark=${escape(bookmark)}`, `run=${escape(runId)}`].filter((p) => p !== '').join('/');
    // With its sha256: dq and the loader refuse the manifest if its bytes change.
    return writeManifest(this.client, { bucket: root.bucket, prefix }, objects, source);
  }
}

/** `DAGWRIGHT_BOOKMARKS_MANIFEST_ROOT` as a bucket and prefix. */
export function manifestRoot(value: string | undefined): { bucket: string; prefix: string } | undefined {
  if (value === undefined || value === '') return undefined;
  const loc = requireS3Uri(value);
  return { bucket: loc.bucket, prefix: loc.prefix };
}
