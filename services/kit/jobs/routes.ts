import type { Request, RequestHandler, Response, Router } from 'express';
import { Problem } from '../errors/problem.js';
import { backpressure } from '../middleware/backpressure/index.js';
import { validate } from '../middleware/validate/index.js';
import { publishedKind, type JobEndpoint } from '../service-module.js';
import { accessOf, requireScope } from '../scopes/middleware.js';
import { canonicalJson } from './canonical-json.js';
import type { JobRunner, SubmitOutcome } from './runner.js';
import { isFinal } from './types.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header, or a `400` naming it. */
export function idempotencyKey(req: Request): string {
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new Problem('Request.Invalid', {
      detail: 'a POST that creates a job needs an Idempotency-Key header of 1 to 255 visible ASCII characters',
      errors: [{ path: '/headers/idempotency-key', message: key === undefined ? 'is required' : 'must be 1-255 visible ASCII characters' }],
    });
  }
  return key;
}

export function sendSubmission(res: Response, outcome: SubmitOutcome): void {
  res.setHeader('Location', `/v1/jobs/${outcome.job.id}`);
  if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
  res.status(outcome.replayed && isFinal(outcome.job.status) ? 200 : 202).json(outcome.job);
}

/** Mounts one job-creating endpoint on a `/v1` router. */
export function mountJobEndpoint(router: Router, runner: JobRunner, endpoint: JobEndpoint<unknown, unknown>): void {
  const submit: RequestHandler = async (req, res) => {
    const key = idempotencyKey(req);
    const access = accessOf(res);
    const identity = access.identity;
    const ctx = { identity, access };
    const input = endpoint.input(req, ctx);
    const admit = endpoint.admit;
    const outcome = await runner.submit({
      kind: publishedKind(endpoint),
      idempotencyKey: key,
      fingerprint: canonicalJson({ method: 'POST', path: `${req.baseUrl}${req.path}`, body: req.body }),
      input,
      identity,
      access,
      ...(admit ? { admit: () => admit(input, ctx) } : {}),
    });
    sendSubmission(res, outcome);
  };
  router.post(
    endpoint.path,
    requireScope({ verb: endpoint.verb ?? 'run' }),
    backpressure({ capacity: runner }),
    validate({ ...(endpoint.params ? { params: endpoint.params } : {}), ...(endpoint.body ? { body: endpoint.body } : {}) }),
    submit,
  );
}

/** `GET /v1/jobs/:id`: needs the `run` verb; another identity's job is not found. */
export function mountJobRoutes(router: Router, runner: JobRunner): void {
  router.get('/jobs/:id', requireScope({ verb: 'run' }), async (req, res) => {
    const job = await runner.get(String(req.params.id), accessOf(res).identity);
    if (!job) throw new Problem('Resource.NotFound', { detail: `no job ${req.params.id}` });
    res.json(job);
  });
}
