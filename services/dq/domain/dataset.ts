/**
 * Which objects a dataset names. A string is a prefix (or one object, or a local path); a
 * batch lists its objects, each `s3://bucket/key` or `{key}` whose bucket comes from the
 * object, the batch's `bucket` or `source`, or the service's default bucket (the bookmarks
 * batch the DataQualityOperator forwards carries only keys).
 */
import type { FieldError } from '../../kit/errors/http-problem.js';
import { isBucketName, parseLocation, type Location } from '../storage/locations.js';
import type { DatasetInput } from './types.js';

export interface DatasetObject {
  readonly location: Location;
  readonly size?: number;
  readonly etag?: string;
}

/** Either the objects themselves, or a location to list. */
export type DatasetPlan = { readonly kind: 'objects'; readonly objects: readonly DatasetObject[] } | { readonly kind: 'listing'; readonly at: Location };

export interface ResolveOptions {
  readonly defaultBucket?: string;
  readonly localRoots: readonly string[];
}

export function planDataset(input: DatasetInput, path: string, options: ResolveOptions): DatasetPlan | FieldError[] {
  if (typeof input === 'string') {
    const at = parseLocation(input, options.localRoots);
    return typeof at === 'string' ? [{ path, message: at }] : { kind: 'listing', at };
  }
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
    const uri = typeof ref === 'string' ? ref : ref.key.startsWith('s3://') ? ref.key : undefined;
    const meta = typeof ref === 'string' ? {} : { ...(ref.size !== undefined ? { size: ref.size } : {}), ...(ref.etag !== undefined ? { etag: ref.etag.replace(/"/g, '') } : {}) };
    if (uri !== undefined) {
      const loc = parseLocation(uri, options.localRoots);
      if (typeof loc === 'string' || loc.key === '' || loc.key.endsWith('/')) return void errors.push({ path: at, message: typeof loc === 'string' ? loc : 'must name an object, not a prefix' });
      return void objects.push({ location: loc, ...meta });
    }
    const r = ref as Exclude<typeof ref, string>;
    const bucket = r.bucket ?? input.bucket ?? sourceBucket ?? options.defaultBucket;
    if (bucket === undefined || !isBucketName(bucket)) {
      return void errors.push({ path: at, message: 'names no bucket: give the object bucket, the batch source or bucket, or set DAGWRIGHT_DQ_DEFAULT_BUCKET' });
    }
    if (r.key === '' || r.key.endsWith('/')) return void errors.push({ path: `${at}/key`, message: 'must name an object, not a prefix' });
    objects.push({ location: { scheme: 's3', bucket, key: r.key }, ...meta });
  });
  return errors.length > 0 ? errors : { kind: 'objects', objects };
}
