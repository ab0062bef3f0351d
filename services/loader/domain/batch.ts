import type { FieldError } from '../../kit/errors/problem.js';
import type { BatchFormat, BatchInput, BatchObject, Compression, ObjectRef } from './types.js';
import { formatOfName } from '../../../src/contract/index.js';

const BUCKET = /^(?=.{3,63}$)[a-z0-9][a-z0-9.-]*[a-z0-9]$/;

function splitUri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!m || !BUCKET.test(m[1] ?? '')) return undefined;
  return { bucket: m[1] as string, key: m[2] ?? '' };
}

/**
 * The batch's objects, each with its bucket. Field errors name what is wrong
 * (`/batch/objects/3`); an empty list is returned as such (the caller answers
 * `EmptyBatch`).
 */
export function resolveObjects(batch: BatchInput): { objects: BatchObject[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const nested = batch.batch?.objects;
  const list = batch.objects ?? nested ?? [];
  const base = batch.objects ? '/batch/objects' : '/batch/batch/objects';
  const { bucket: sourceBucket, error } = sourceBucketOf(batch);
  if (error) errors.push(error);
  const objects: BatchObject[] = [];
  list.forEach((ref, i) => {
    const path = `${base}/${i}`;
    const resolved = resolveObject(ref, sourceBucket, path);
    if ('path' in resolved) errors.push(resolved);
    else objects.push(resolved);
  });
  return { objects, errors };
}

/** The bucket of `batch.source`, or the error that it is no `s3://bucket/prefix`. */
export function sourceBucketOf(batch: Pick<BatchInput, 'source'>): { bucket: string | undefined; error?: FieldError } {
  if (batch.source === undefined) return { bucket: undefined };
  const m = /^s3:\/\/([^/]+)(\/.*)?$/.exec(batch.source);
  if (!m || !BUCKET.test(m[1] ?? '')) return { bucket: undefined, error: { path: '/batch/source', message: 'must be an s3://bucket/prefix URI' } };
  return { bucket: m[1] };
}

/** One object of a batch (an inline entry or a manifest line), with its bucket; the error located at `path`. */
export function resolveObject(ref: ObjectRef, sourceBucket: string | undefined, path: string): BatchObject | FieldError {
  if (typeof ref === 'string') {
    const parts = splitUri(ref);
    if (!parts || parts.key === '') return { path, message: 'must be an s3://bucket/key URI' };
    return { bucket: parts.bucket, key: parts.key, size: undefined, etag: undefined };
  }
  const bucket = ref.bucket ?? sourceBucket;
  if (!bucket || !BUCKET.test(bucket)) return { path, message: 'names no bucket: give batch.source or the object bucket' };
  if (ref.key.startsWith('s3://')) {
    const parts = splitUri(ref.key);
    if (!parts) return { path: `${path}/key`, message: 'is not a valid s3:// URI' };
    return { bucket: parts.bucket, key: parts.key, size: ref.size, etag: ref.etag };
  }
  if (ref.key === '' || ref.key.endsWith('/')) return { path: `${path}/key`, message: 'must name an object, not a folder' };
  return { bucket, key: ref.key, size: ref.size, etag: ref.etag };
}

/** The batch's one format: the request's, or the one every object's extension names. */
export function resolveFormat(objects: readonly BatchObject[], declared: BatchFormat | undefined): BatchFormat | FieldError {
  if (declared) return declared;
  const seen = new Set(objects.map((o) => formatOfName(o.key)));
  if (seen.has(undefined)) return { path: '/format', message: 'is required: an object has no .csv, .jsonl, .json, .ndjson or .parquet extension' };
  if (seen.size > 1) return { path: '/format', message: `the objects mix formats (${[...seen].join(', ')}); load one format per batch` };
  return [...seen][0] as BatchFormat;
}

export function compressionOf(key: string, option: Compression | 'auto'): Compression {
  if (option !== 'auto') return option;
  return /\.gz$/i.test(key) ? 'gzip' : 'none';
}
