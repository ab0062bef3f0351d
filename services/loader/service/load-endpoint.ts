import { HttpProblem } from '../../kit/errors/http-problem.js';
import type { Need } from '../../kit/scopes/access.js';
import { defineJobEndpoint, type JobEndpoint } from '../../kit/service-module.js';
import { prepareLoad, type LoadBody } from '../domain/request.js';
import type { LoadInput, LoadResult } from '../domain/types.js';
import { runLoad, type RunContext } from '../load/run-load.js';
import type { WarehouseTarget } from '../target/target.js';
import type { LoaderMetrics } from './metrics.js';
import { loadBodySchema, loadResultSchema } from './schemas.js';

export type LoadEnvironment = Omit<RunContext, 'log' | 'signal'>;

/**
 * What a load touches, for its scope check: the warehouse and every batch object it reads.
 * (A Redshift manifest goes under the warehouse's configured prefix: the warehouse scope covers it.)
 */
export function loadNeeds(input: LoadInput): Need {
  return { warehouse: input.target, s3Read: input.objects.map((o) => ({ bucket: o.bucket, key: o.key })) };
}

/** `POST /v1/loads`: a job that loads one batch into one table, idempotently by its Idempotency-Key. */
export function loadEndpoint(targets: ReadonlyMap<string, WarehouseTarget>, env: LoadEnvironment, metrics: LoaderMetrics): JobEndpoint<LoadInput, LoadResult> {
  const known = new Set(targets.keys());
  return defineJobEndpoint<LoadInput, LoadResult>({
    path: '/loads',
    kind: 'load',
    summary: 'Load a batch of S3 objects into a warehouse table (append, merge or replace), all or nothing, once per Idempotency-Key',
    body: loadBodySchema,
    result: loadResultSchema,
    input: (req, ctx) => {
      const input = prepareLoad(req.body as LoadBody, String(req.headers['idempotency-key']), known);
      ctx.access.require(loadNeeds(input));
      return input;
    },
    handler: async (input, ctx) => {
      ctx.access.require(loadNeeds(input));
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
