import { parseManifestUri, type ManifestReader } from '../kit/batch-manifest/index.js';
import { Problem } from '../kit/errors/problem.js';
import type { Need } from '../kit/scopes/access.js';
import { defineJobEndpoint, type JobEndpoint, type ReadinessCheck, type ServiceModule } from '../kit/service-module.js';
import { loadInput } from './domain/request.js';
import type { LoadBody, LoadInput, LoadResult, ManifestLoad } from './domain/types.js';
import { openapiPaths } from './http/openapi.js';
import { mountLoaderRoutes } from './http/routes.js';
import { loadBody, loadResult } from './http/schemas.js';
import { readManifestLoad } from './domain/manifest-load.js';
import { runLoad, type RunContext } from './domain/run-load.js';
import type { LoaderMetrics } from './metrics.js';
import type { WarehouseTarget } from './target/target.js';

export type LoadEnvironment = Omit<RunContext, 'log' | 'signal'> & { readonly manifests: ManifestReader };

export interface LoaderModuleDeps {
  /** The configured warehouses, by name. */
  readonly targets: ReadonlyMap<string, WarehouseTarget>;
  /** What a load runs with: object store, Parquet tools, scratch space, hooks, manifest reader. */
  readonly load: LoadEnvironment;
  readonly metrics: LoaderMetrics;
  readonly readiness?: readonly ReadinessCheck[];
  /** Bound on `GET /v1/warehouses/{name}/availability`. */
  readonly availabilityTimeoutMs: number;
  readonly version?: string;
}

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

/** The loader service as a kit `ServiceModule`. */
export function loaderModule(deps: LoaderModuleDeps): ServiceModule {
  return {
    name: 'loader',
    ...(deps.version ? { version: deps.version } : {}),
    description: 'Idempotent, all-or-nothing loads of S3 batches into Redshift, PostgreSQL and DuckDB',
    jobs: [loadEndpoint(deps.targets, deps.load, deps.metrics)],
    routes: (router) => mountLoaderRoutes(router, deps.targets, deps.availabilityTimeoutMs),
    readiness: deps.readiness ?? [],
    openapi: { paths: openapiPaths() },
  };
}

/** `POST /v1/loads`: a job that loads one batch into one table, idempotently by its Idempotency-Key. */
function loadEndpoint(targets: ReadonlyMap<string, WarehouseTarget>, env: LoadEnvironment, metrics: LoaderMetrics): JobEndpoint<LoadInput | ManifestLoad, LoadResult> {
  const known = new Set(targets.keys());
  return defineJobEndpoint<LoadInput | ManifestLoad, LoadResult>({
    path: '/loads',
    kind: 'loader.load',
    publishedKind: 'load',
    summary: 'Load a batch of S3 objects into a warehouse table (append, merge or replace), all or nothing, once per Idempotency-Key',
    body: loadBody,
    result: loadResult,
    input: (req, ctx) => {
      const input = loadInput(req.body as LoadBody, String(req.headers['idempotency-key']), known);
      ctx.access.require(requestNeeds(input));
      return input;
    },
    handler: async (request, ctx) => {
      ctx.access.require(requestNeeds(request));
      const input = 'manifest' in request ? await readManifestLoad(request, env.manifests, ctx.signal) : request;
      // Every object of the batch, once the manifest has named them.
      if ('manifest' in request) ctx.access.require(loadNeeds(input));
      const target = targets.get(input.target);
      if (!target) throw new Problem('Request.Invalid', { detail: `warehouse ${input.target} is no longer configured`, errors: [{ path: '/target', message: 'unknown' }] });
      try {
        const result = await runLoad(target, input, { ...env, log: ctx.log, signal: ctx.signal });
        metrics.loaded(target.name, result);
        return result;
      } catch (err) {
        metrics.failed(target.name, err instanceof Problem ? err.code : 'Internal');
        throw err;
      }
    },
  });
}
