/**
 * Which objects a dataset names. A string is a prefix (or one object, or a local path); a
 * batch lists its objects, each `s3://bucket/key` or `{key}` whose bucket comes from the
 * object, the batch's `bucket` or `source`, or the service's default bucket (the bookmarks
 * batch the DataQualityOperator forwards carries only keys).
 */
import type { BatchManifestRef } from '../../../src/contract/index.js';
import { parseManifestUri, type ManifestEntry } from '../../kit/batch-manifest/index.js';
import type { FieldError } from '../../kit/errors/problem.js';
import { isBucketName, parseLocation, type Location } from '../objects/locations.js';
import type { DatasetInput } from './types.js';

export interface DatasetObject {
  readonly location: Location;
  readonly size?: number;
  readonly etag?: string;
}

/** The objects themselves, a location to list, or a manifest to read (its lines without a bucket are in `bucket`). */
export type DatasetPlan =
  | { readonly kind: 'objects'; readonly objects: readonly DatasetObject[] }
  | { readonly kind: 'listing'; readonly at: Location }
  | { readonly kind: 'manifest'; readonly ref: BatchManifestRef; readonly bucket: string | undefined; readonly path: string };

export interface ResolveOptions {
  readonly defaultBucket?: string;
  readonly localRoots: readonly string[];
}

export function planDataset(input: DatasetInput, path: string, options: ResolveOptions): DatasetPlan | FieldError[] {
  if (typeof input === 'string') {
    const at = parseLocation(input, options.localRoots);
    return typeof at === 'string' ? [{ path, message: at }] : { kind: 'listing', at };
  }
  if (input.manifest !== undefined) return planManifest(input, path, options);
  const list = input.objects ?? input.batch?.objects;
  const listPath = input.objects !== undefined ? `${path}/objects` : `${path}/batch/objects`;
  if (list === undefined) return [{ path, message: 'must be a prefix, or a batch with objects' }];
  if (list.length === 0) return [{ path: listPath, message: 'is empty: a batch needs at least one object' }];
  let sourceBucket: string | undefined;
  if (input.source !== undefined) {
    const m = /^s3:\/\/([^/]+)/.exec(input.source);
    if (m === null || !isBucketName(m[1] ?? '')) return [{ path: `${path}/source`, message: 'must be an s3://bucket/prefix URI' }];
    sourceBucket = m[1];
  }
  const errors: FieldError[] = [];
  const objects: DatasetObject[] = [];
  list.forEach((ref, i) => {
    const at = `${listPath}/${i}`;
    if (typeof ref !== 'string' && !ref.key.startsWith('s3://')) {
      const bucket = ref.bucket ?? input.bucket ?? sourceBucket ?? options.defaultBucket;
      const resolved = keyObject(ref, bucket);
      return void (typeof resolved === 'string' ? errors.push({ path: resolved === NO_BUCKET ? at : `${at}/key`, message: resolved }) : objects.push(resolved));
    }
    const uri = typeof ref === 'string' ? ref : ref.key.startsWith('s3://') ? ref.key : undefined;
    const meta = typeof ref === 'string' ? {} : { ...(ref.size !== undefined ? { size: ref.size } : {}), ...(ref.etag !== undefined ? { etag: ref.etag.replace(/"/g, '') } : {}) };
    if (uri !== undefined) {
      const loc = parseLocation(uri, options.localRoots);
      if (typeof loc === 'string' || loc.key === '' || loc.key.endsWith('/')) return void errors.push({ path: at, message: typeof loc === 'string' ? loc : 'must name an object, not a prefix' });
      return void objects.push({ location: loc, ...meta });
    }
  });
  return errors.length > 0 ? errors : { kind: 'objects', objects };
}

const NO_BUCKET = 'names no bucket: give the object bucket, the batch source or bucket, or set DAGWRIGHT_DQ_DEFAULT_BUCKET';

/** An object named by its key (a batch entry or a manifest line) in `bucket`; a message when it cannot be read. */
export function keyObject(ref: { readonly key: string; readonly size?: number; readonly etag?: string }, bucket: string | undefined): DatasetObject | string {
  if (bucket === undefined || !isBucketName(bucket)) return NO_BUCKET;
  if (ref.key === '' || ref.key.endsWith('/')) return 'must name an object, not a prefix';
  return { location: { scheme: 's3', bucket, key: ref.key }, ...(ref.size !== undefined ? { size: ref.size } : {}), ...(ref.etag !== undefined ? { etag: ref.etag.replace(/"/g, '') } : {}) };
}

/** A manifest line as a dataset object: `s3://` keys as they are, bare keys in the plan's bucket. */
export function manifestObject(entry: ManifestEntry, bucket: string | undefined): DatasetObject | string {
  if (entry.key.startsWith('s3://')) {
    const loc = parseLocation(entry.key, []);
    if (typeof loc === 'string' || loc.key === '' || loc.key.endsWith('/')) return typeof loc === 'string' ? loc : 'must name an object, not a prefix';
    return { location: loc, ...(entry.size !== undefined ? { size: entry.size } : {}), ...(entry.etag !== undefined ? { etag: entry.etag.replace(/"/g, '') } : {}) };
  }
  return keyObject(entry, entry.bucket ?? bucket);
}

function planManifest(input: Exclude<DatasetInput, string>, path: string, options: ResolveOptions): DatasetPlan | FieldError[] {
  const uri = input.manifest as string;
  if (input.objects !== undefined || input.batch !== undefined) return [{ path, message: 'gives both a manifest and objects: give one' }];
  if (parseManifestUri(uri) === undefined) return [{ path: `${path}/manifest`, message: 'must be an s3://bucket/key URI' }];
  let bucket = input.bucket ?? options.defaultBucket;
  if (input.source !== undefined) {
    const m = /^s3:\/\/([^/]+)/.exec(input.source);
    if (m === null || !isBucketName(m[1] ?? '')) return [{ path: `${path}/source`, message: 'must be an s3://bucket/prefix URI' }];
    bucket = input.bucket ?? m[1];
  }
  const ref: BatchManifestRef = { manifest: uri, ...(input.source !== undefined ? { source: input.source } : {}), ...(input.count !== undefined ? { count: input.count } : {}), ...(input.sha256 !== undefined ? { sha256: input.sha256 } : {}) };
  return { kind: 'manifest', ref, bucket, path };
}

