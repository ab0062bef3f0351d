/**
 * Brings a dataset's objects to local files for DuckDB (which cannot read S3 here):
 * lists prefixes, then streams each S3 object to a file through the AWS SDK, a few at a
 * time. Local paths are read where they are.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { FieldError } from '../../kit/errors/problem.js';
import { Problem } from '../../kit/errors/problem.js';
import type { ManifestReader } from '../../kit/batch-manifest/index.js';
import { isDataKey } from '../../kit/s3/data-keys.js';
import { manifestObject, type DatasetObject, type DatasetPlan } from './dataset.js';
import { formatLocation, type Location } from '../objects/locations.js';
import type { ObjectStorage } from '../objects/object-storage.js';

export interface Storages {
  readonly s3: ObjectStorage;
  readonly file: ObjectStorage;
  /** Reads batch manifests (`{manifest}` datasets). */
  readonly manifests: ManifestReader;
}

export interface Fetched {
  /** Local files, in dataset order. */
  readonly files: readonly string[];
  /** Local file → where it came from (for error messages). */
  readonly origins: ReadonlyMap<string, string>;
  readonly objects: readonly DatasetObject[];
}

const storageOf = (s: Storages, l: Location) => (l.scheme === 's3' ? s.s3 : s.file);

/** Problems talking to S3: a missing object is the request's fault, anything else the dependency's. */
export function storageProblem(err: unknown, what: string): Problem {
  const name = (err as { name?: string }).name ?? '';
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name === 'NoSuchKey' || name === 'NoSuchBucket' || name === 'NotFound' || status === 404) {
    return new Problem('Resource.NotFound', { detail: `${what} does not exist` });
  }
  if (name === 'PreconditionFailed' || status === 412) {
    return new Problem('Resource.NotFound', { detail: `${what} changed since the batch was listed (ETag mismatch)` });
  }
  if (name === 'AccessDenied' || status === 403) return new Problem('Service.DependencyUnavailable', { detail: `access to ${what} was denied`, cause: err });
  if ((err as { code?: string }).code === 'ENOENT') return new Problem('Resource.NotFound', { detail: `${what} does not exist` });
  return new Problem('Service.DependencyUnavailable', { detail: `could not read ${what}: ${(err as Error).message ?? err}`, cause: err });
}

/** The objects a manifest lists, streamed from S3; a line that names no readable object is `Manifest.Invalid`. */
async function readManifestObjects(storages: Storages, plan: Extract<DatasetPlan, { kind: 'manifest' }>, signal?: AbortSignal): Promise<DatasetObject[]> {
  const objects: DatasetObject[] = [];
  for await (const entry of storages.manifests(plan.ref, plan.path, signal)) {
    const o = manifestObject(entry, plan.bucket);
    if (typeof o === 'string') {
      const message = `line ${objects.length + 1} (${entry.key}) ${o}`;
      throw new Problem('Manifest.Invalid', { detail: `the batch manifest ${plan.ref.manifest}: ${message}`, errors: [{ path: `${plan.path}/manifest`, message }] });
    }
    objects.push(o);
  }
  return objects;
}

/** The objects a plan names: as given, listed under a prefix, or read from a manifest. */
export async function datasetObjects(storages: Storages, plan: DatasetPlan, signal?: AbortSignal): Promise<DatasetObject[]> {
  if (plan.kind === 'objects') return [...plan.objects];
  if (plan.kind === 'manifest') return readManifestObjects(storages, plan, signal);
  const at = plan.at;
  const storage = storageOf(storages, at);
  try {
    const exact = at.key !== '' && !at.key.endsWith('/') ? (await storage.list(at.bucket, at.key)).filter((o) => o.key === at.key) : [];
    if (exact.length > 0) return exact.map((o) => ({ location: { ...at, key: o.key }, size: o.size, ...(o.etag ? { etag: o.etag } : {}) }));
    const prefix = at.key === '' || at.key.endsWith('/') ? at.key : `${at.key}/`;
    const found = await storage.list(at.bucket, prefix);
    // The same rule as the bookmarks' listing, on the key below the prefix read.
    return found.filter((o) => isDataKey(o.key.slice(prefix.length))).map((o) => ({ location: { ...at, key: o.key }, size: o.size, ...(o.etag ? { etag: o.etag } : {}) }));
  } catch (err) {
    throw storageProblem(err, formatLocation(at));
  }
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  });
  await Promise.all(lanes);
}

/**
 * Lists, then downloads the S3 objects into `dir`. `hold` is told the bytes first (the sizes
 * the batch or the listing gave), then, object by object, what the sizes left unsaid; it
 * throws to stop the fetch (the scratch budget).
 */
export async function fetchDataset(storages: Storages, plan: DatasetPlan, dir: string, fieldPath: string, hold: (bytes: number) => void, admit: (objects: readonly DatasetObject[]) => void, signal?: AbortSignal): Promise<Fetched | FieldError[]> {
  const objects = await datasetObjects(storages, plan, signal);
  // Before any is read: the objects a manifest names are checked against the caller's scopes.
  admit(objects);
  if (objects.length === 0) return [{ path: fieldPath, message: `no data objects under ${plan.kind === 'listing' ? formatLocation(plan.at) : 'the batch'}` }];
  const remote = objects.filter((o) => o.location.scheme === 's3');
  hold(remote.reduce((sum, o) => sum + (o.size ?? 0), 0));
  const files: string[] = new Array<string>(objects.length);
  const origins = new Map<string, string>();
  await inParallel(objects, 4, async (o, i) => {
    const uri = formatLocation(o.location);
    if (o.location.scheme === 'file') {
      files[i] = o.location.key;
    } else {
      const local = path.join(dir, `${String(i).padStart(5, '0')}-${path.basename(o.location.key).replace(/[^A-Za-z0-9._-]/g, '_')}`);
      try {
        await storages.s3.download({ bucket: o.location.bucket, key: o.location.key, ...(o.etag ? { etag: o.etag } : {}) }, local, signal);
      } catch (err) {
        throw storageProblem(err, uri);
      }
      // What was downloaded counts, whatever size the batch claimed (a size of 0 is no way past the budget).
      const claimed = o.size ?? 0;
      const actual = statSync(local).size;
      if (actual > claimed) hold(actual - claimed);
      files[i] = local;
    }
    origins.set(files[i]!, uri);
  });
  return { files, origins, objects };
}
