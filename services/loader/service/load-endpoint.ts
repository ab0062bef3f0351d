import { HttpProblem } from '../../kit/errors/http-problem.js';
import type { Need } from '../../kit/scopes/access.js';
import { defineJobEndpoint, type JobEndpoint } from '../../kit/service-module.js';
import { parseManifestUri, type ManifestReader } from '../../kit/batch-manifest/index.js';
import { resolveObject } from '../domain/batch.js';
import { prepareLoad, withObjects, type LoadBody } from '../domain/request.js';
import type { BatchObject, LoadInput, LoadResult, ManifestLoad } from '../domain/types.js';
import { runLoad, type RunContext } from '../load/run-load.js';
import type { WarehouseTarget } from '../target/target.js';
import type { LoaderMetrics } from './metrics.js';
import { loadBodySchema, loadResultSchema } from './schemas.js';

export type LoadEnvironment = Omit<RunContext, 'log' | 'signal'> & { readonly manifests: ManifestReader };

/**
 * What a load touches, for its scope check: the warehouse and every batch object it reads.
 * (A Redshift manifest goes under the warehouse's configured prefix: the warehouse scope covers it.)
 */
export function loadNeeds(input: LoadInput): Need {
  return { warehouse: input.target, s3Read: input.objects.map((o) => ({ bucket: o.bucket, key: o.key })) };
}

/** What a request reaches before its batch is read: the warehouse, and each object or the manifest that lists them. */
function requestNeeds(request: LoadInput | ManifestLoad): Need {
  if (!('manifest' in request)) return loadNeeds(request);
  const manifest = parseManifestUri(request.manifest.manifest);
  return { warehouse: request.target, s3Read: manifest ? [manifest] : [] };
}

/** `POST /v1/loads`: a job that loads one batch into one table, idempotently by its Idempotency-Key. */
export function loadEndpoint(targets: ReadonlyMap<string, WarehouseTarget>, env: LoadEnvironment, metrics: LoaderMetrics): JobEndpoint<LoadInput | ManifestLoad, LoadResult> {
  const known = new Set(targets.keys());
  return defineJobEndpoint<LoadInput | ManifestLoad, LoadResult>({
    path: '/loads',
    kind: 'load',
    summary: 'Load a batch of S3 objects into a warehouse table (append, merge or replace), all or nothing, once per Idempotency-Key',
    body: loadBodySchema,
    result: loadResultSchema,
    input: (req, ctx) => {
      const input = prepareLoad(req.body as LoadBody, String(req.headers['idempotency-key']), known);
      ctx.access.require(requestNeeds(input));
      return input;
    },
    handler: async (request, ctx) => {
      ctx.access.require(requestNeeds(request));
      const input = 'manifest' in request ? await readManifestLoad(request, env.manifests, ctx.signal) : request;
      // Every object of the batch, once the manifest has named them.
      if ('manifest' in request) ctx.access.require(loadNeeds(input));
      const target = targets.get(input.target);
      if (!target) throw new HttpProblem('Request.Invalid', { detail: `warehouse ${input.target} is no longer configured`, errors: [{ path: '/target', message: 'unknown' }] });
      try {
        const result = await runLoad(target, input, { ...env, log: ctx.log, signal: ctx.signal });
        metrics.loaded(target.name, result);
        return result;
      } catch (err) {
        metrics.failed(target.name, err instanceof HttpProblem ? err.code : 'Internal');
        throw err;
      }
    },
  });
}

/**
 * A manifest load's objects, streamed from its manifest: a line that names no object is
 * `Manifest.Invalid`, an empty manifest too; then the same checks as inline objects
 * (format, duplicates) and the load's fingerprint.
 */
export async function readManifestLoad(load: ManifestLoad, manifests: ManifestReader, signal?: AbortSignal): Promise<LoadInput> {
  const objects: BatchObject[] = [];
  for await (const entry of manifests(load.manifest, '/batch', signal)) {
    const resolved = resolveObject(entry, load.bucket, '/batch/manifest');
    if ('path' in resolved) {
      const message = `line ${objects.length + 1} (${entry.key}) ${resolved.message}`;
      throw new HttpProblem('Manifest.Invalid', { detail: `the batch manifest ${load.manifest.manifest}: ${message}`, errors: [{ path: '/batch/manifest', message }] });
    }
    objects.push(resolved);
  }
  const { manifest: _ref, bucket: _bucket, format, ...base } = load;
  return withObjects(base, objects, format, '/batch/manifest');
}
