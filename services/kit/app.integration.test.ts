import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Express } from 'express';
import { createApp, type Lifecycle } from './app.js';
import { Problem } from './errors/problem.js';
import { canonicalJson } from './jobs/canonical-json.js';
import { openJobStore } from './jobs/open-job-store.js';
import { JobRunner } from './jobs/runner.js';
import type { JobStore } from './jobs/types.js';
import { TokenSet } from './middleware/auth/tokens.js';
import { createMetrics } from './ops/metrics.js';
import { defineJobEndpoint, type ServiceModule } from './service-module.js';
import type { StateBackend } from './state/open-state.js';
import { testBackends } from './testing/backends.js';
import { waitForJob } from './testing/poll.js';

const TOKEN = 'test-token-123';
const auth = { Authorization: `Bearer ${TOKEN}` };
const OTHER_TOKEN = 'other-token-456';
const otherAuth = { Authorization: `Bearer ${OTHER_TOKEN}` };
const silent = pino({ level: 'silent' });

/** A toy service: `POST /v1/echo` runs a job that echoes, fails or blocks on request. */
interface Gates {
  readonly waiting: Map<string, () => void>;
  /** Set on cleanup: jobs that start late do not block. */
  released: boolean;
}

function toyModule(gates: Gates): ServiceModule {
  const echo = defineJobEndpoint({
    path: '/echo/:name',
    kind: 'toy.echo',
    summary: 'echo',
    params: { type: 'object', properties: { name: { type: 'string', pattern: '^[a-z]+$' } } },
    body: {
      type: 'object',
      additionalProperties: false,
      properties: { value: { type: 'integer' }, fail: { type: 'string' }, block: { type: 'boolean' }, refuse: { type: 'boolean' }, extra: {} },
    },
    input: (req) => ({ name: String(req.params.name), ...(req.body as object) }) as { name: string; value?: number; fail?: string; block?: boolean; refuse?: boolean },
    admit: async (input) => {
      if (input.refuse) throw new Problem('Resource.NotFound', { detail: 'refused at admission' });
    },
    handler: async (input, ctx) => {
      if (input.block && !gates.released) await new Promise<void>((resolve) => gates.waiting.set(input.name, resolve));
      if (input.fail === 'problem') throw new Problem('Warehouse.Unavailable', { detail: 'try later' });
      if (input.fail === 'crash') throw new Error('secret internal detail');
      return { echoed: input.value ?? null, by: ctx.identity, attempt: ctx.attempt };
    },
  });
  // A job renamed to the naming scheme: published under its older name.
  const renamed = { ...echo, path: '/renamed/:name', kind: 'toy.renamed', publishedKind: 'renamed' };
  return { name: 'toy', jobs: [echo, renamed] };
}

const backends = testBackends({ dir: mkdtempSync(join(tmpdir(), 'dw-app-')) });

for (const backend of backends) {
  describe.skipIf(!backend.available)(`kit app and job protocol (${backend.name})`, () => {
    let state: StateBackend;
    let store: JobStore;
    let runner: JobRunner;
    let app: Express;
    let gates: Gates;
    let lifecycle: Lifecycle;

    beforeEach(async () => {
      state = await backend.open();
      store = openJobStore(state);
      await store.migrate();
      gates = { waiting: new Map(), released: false };
      lifecycle = { draining: false };
      runner = new JobRunner({ service: 'toy', store, log: silent, maxConcurrent: 2 });
      await runner.start();
      app = createApp({
        module: toyModule(gates),
        runner,
        jobStore: store,
        tokens: new TokenSet([
          { identity: 'ci', token: TOKEN },
          { identity: 'other', token: OTHER_TOKEN },
        ]),
        log: silent,
        lifecycle,
        maxBodyBytes: 512,
      });
      return async () => {
        gates.released = true;
        for (const open of gates.waiting.values()) open();
        await runner.idle();
        runner.stop();
        await state.close();
      };
    });
    afterAll(() => backend.dispose());

    const getJob = async (id: string) => (await request(app).get(`/v1/jobs/${id}`).set(auth).expect(200)).body;
    const post = (body: object, key = 'dag/task/run/-1', name = 'abc') =>
      request(app).post(`/v1/echo/${name}`).set(auth).set('Idempotency-Key', key).send(body);

    it('POST → 202 with Location; the job succeeds with its result', async () => {
      const res = await post({ value: 7 });
      expect(res.status).toBe(202);
      expect(res.headers.location).toBe(`/v1/jobs/${res.body.id}`);
      expect(res.body).toMatchObject({ kind: 'toy.echo', status: 'queued', attempt: 1 });
      const job = await waitForJob(getJob, res.body.id);
      expect(job).toMatchObject({ status: 'succeeded', result: { echoed: 7, by: 'ci', attempt: 1 } });
    });

    it('replays the same key and body: same job, Idempotent-Replayed, 200 when final', async () => {
      const first = await post({ value: 1 });
      await waitForJob(getJob, first.body.id);
      const again = await post({ value: 1 });
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(first.body.id);
    });

    it('replays an unfinished job with 202', async () => {
      const first = await post({ block: true });
      const again = await post({ block: true });
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(first.body.id);
    });

    it('treats a reordered body as the same body', async () => {
      const first = await request(app).post('/v1/echo/abc').set(auth).set('Idempotency-Key', 'k').set('Content-Type', 'application/json').send('{"value":1,"fail":"no"}');
      const again = await request(app).post('/v1/echo/abc').set(auth).set('Idempotency-Key', 'k').set('Content-Type', 'application/json').send('{ "fail": "no", "value": 1 }');
      expect(again.body.id).toBe(first.body.id);
    });

    it('the same key with a different body or path → 409 Idempotency.Conflict', async () => {
      await post({ value: 1 });
      const other = await post({ value: 2 });
      expect(other.status).toBe(409);
      expect(other.body.code).toBe('Idempotency.Conflict');
      expect((await post({ value: 1 }, 'dag/task/run/-1', 'xyz')).status).toBe(409);
    });

    it('a failed job does not stick: the same key gives a new attempt', async () => {
      const first = await post({ fail: 'problem' });
      const failed = await waitForJob(getJob, first.body.id);
      expect(failed.error).toMatchObject({ code: 'Warehouse.Unavailable', retryable: true, detail: 'try later' });
      const retry = await post({ fail: 'problem' });
      expect(retry.status).toBe(202);
      expect(retry.body.id).not.toBe(first.body.id);
      expect(retry.body.attempt).toBe(2);
    });

    it('after a failed job, a different body under the same key is the next attempt (a fixed spec, the task cleared)', async () => {
      const first = await post({ fail: 'problem' });
      await waitForJob(getJob, first.body.id);
      const fixed = await post({ value: 5 });
      expect(fixed.status).toBe(202);
      expect(fixed.headers['idempotent-replayed']).toBeUndefined();
      expect(fixed.body).toMatchObject({ attempt: 2 });
      expect(await waitForJob(getJob, fixed.body.id)).toMatchObject({ status: 'succeeded', result: { echoed: 5, attempt: 2 } });
      // Now the latest job succeeded: the old body is a conflict, the new one a replay.
      expect((await post({ fail: 'problem' })).status).toBe(409);
      expect((await post({ value: 5 })).body.id).toBe(fixed.body.id);
      expect(await getJob(first.body.id)).toMatchObject({ status: 'failed', attempt: 1 });
    });

    it('a different body still conflicts with an unfinished job', async () => {
      await post({ block: true });
      const other = await post({ value: 2 });
      expect(other.status).toBe(409);
      expect(other.body.code).toBe('Idempotency.Conflict');
    });

    it('two different bodies racing after a failure: one new attempt, the other conflicts', async () => {
      const first = await post({ fail: 'problem' });
      await waitForJob(getJob, first.body.id);
      const answers = await Promise.all([post({ value: 1 }), post({ value: 2 })]);
      expect(answers.map((r) => r.status).sort()).toEqual([202, 409]);
      const winner = answers.find((r) => r.status === 202) as request.Response;
      expect(winner.body.attempt).toBe(2);
      expect((await store.latestForKey('toy', 'ci', 'dag/task/run/-1'))?.id).toBe(winner.body.id);
      const same = await Promise.all([post({ value: 3 }, 'k2'), post({ value: 3 }, 'k2')]);
      expect(new Set(same.map((r) => r.body.id)).size).toBe(1);
    });

    it('idempotency keys are per identity: another identity can neither read nor replay a job', async () => {
      const mine = await post({ value: 7 });
      await waitForJob(getJob, mine.body.id);
      const peek = await request(app).get(`/v1/jobs/${mine.body.id}`).set(otherAuth);
      expect(peek.status).toBe(404);
      const replay = await request(app).post('/v1/echo/abc').set(otherAuth).set('Idempotency-Key', 'dag/task/run/-1').send({ value: 7 });
      expect(replay.status).toBe(202);
      expect(replay.headers['idempotent-replayed']).toBeUndefined();
      expect(replay.body.id).not.toBe(mine.body.id);
      const theirs = await waitForJob(async (id) => (await request(app).get(`/v1/jobs/${id}`).set(otherAuth).expect(200)).body, replay.body.id);
      expect(theirs.result).toEqual({ echoed: 7, by: 'other', attempt: 1 });
      // The same key with another body is no conflict across identities either.
      expect((await request(app).post('/v1/echo/abc').set(otherAuth).set('Idempotency-Key', 'k-9').send({ value: 1 })).status).toBe(202);
      expect((await post({ value: 2 }, 'k-9')).status).toBe(202);
    });

    it('an unexpected error fails the job as a bare, retryable Internal', async () => {
      const res = await post({ fail: 'crash' });
      const job = await waitForJob(getJob, res.body.id);
      expect(job.error).toEqual({ type: 'https://dagwright.dev/problems/internal', title: 'Internal server error', status: 500, code: 'Internal', retryable: true, retry_after: 1 });
      expect(JSON.stringify(job)).not.toContain('secret');
    });

    it('admission can refuse: nothing is created', async () => {
      const res = await post({ refuse: true });
      expect(res.status).toBe(404);
      const ok = await post({ value: 3 }, 'other-key');
      expect(ok.body.attempt).toBe(1);
      expect(await store.latestForKey('toy', 'ci', 'dag/task/run/-1')).toBeUndefined();
    });

    it('backpressure: beyond maxConcurrent jobs → 429 Service.Busy with Retry-After', async () => {
      await post({ block: true }, 'k1', 'a');
      await post({ block: true }, 'k2', 'b');
      const third = await post({ value: 1 }, 'k3', 'c');
      expect(third.status).toBe(429);
      expect(third.body.code).toBe('Service.Busy');
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      while (!gates.waiting.has('a')) await new Promise((r) => setTimeout(r, 5));
      gates.waiting.get('a')?.();
      while (runner.load() > 1) await new Promise((r) => setTimeout(r, 5));
      expect((await post({ value: 1 }, 'k3', 'c')).status).toBe(202);
    });

    it('a job renamed to the naming scheme keeps its published kind: a job an older release stored is replayed and read, new ones are stored, labelled and documented under the same kind', async () => {
      const at = new Date().toISOString();
      const fingerprint = canonicalJson({ method: 'POST', path: '/v1/renamed/abc', body: { value: 3 } });
      const old = { id: 'job_stored_by_an_older_release', service: 'toy', kind: 'renamed', owner: 'ci', status: 'succeeded', attempt: 1, idempotency_key: 'old/key', fingerprint, input: { name: 'abc', value: 3 }, result: { echoed: 3 }, error: null, created_at: at, updated_at: at, lease_until: null } as const;
      expect(await store.insert(old)).toEqual({ inserted: true });
      const metrics = createMetrics({ service: 'toy' });
      const counted = new JobRunner({ service: 'toy', store, log: silent, metrics });
      const served = createApp({ module: toyModule(gates), runner: counted, jobStore: store, tokens: new TokenSet([{ identity: 'ci', token: TOKEN }]), log: silent, metrics });
      const postRenamed = (key: string, body: object) => request(served).post('/v1/renamed/abc').set(auth).set('Idempotency-Key', key).send(body);

      const replay = await postRenamed('old/key', { value: 3 });
      expect(replay.status).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toMatchObject({ id: old.id, kind: 'renamed', result: { echoed: 3 } });
      expect((await postRenamed('old/key', { value: 4 })).body.code).toBe('Idempotency.Conflict');
      expect((await request(served).get(`/v1/jobs/${old.id}`).set(auth).expect(200)).body).toMatchObject({ kind: 'renamed', status: 'succeeded' });

      const fresh = await postRenamed('new/key', { value: 4 });
      expect(fresh.body).toMatchObject({ kind: 'renamed', attempt: 1 });
      await waitForJob(async (id) => (await request(served).get(`/v1/jobs/${id}`).set(auth).expect(200)).body, fresh.body.id);
      await counted.idle();
      expect((await store.get('toy', fresh.body.id))?.kind).toBe('renamed');
      expect((await request(served).get('/metrics')).text).toContain('dagwright_jobs_started_total{kind="renamed",service="toy"} 1');
      expect((await request(served).get('/openapi.json')).body.paths['/v1/renamed/{name}'].post['x-job-kind']).toBe('renamed');
    });

    it.each([
      ['missing Idempotency-Key', {}, 400, 'Request.Invalid'],
      ['missing token', { 'Idempotency-Key': 'k', Authorization: '' }, 401, 'Auth.Unauthorized'],
    ])('%s → %s', async (_name, headers, status, code) => {
      let req = request(app).post('/v1/echo/abc');
      for (const [k, v] of Object.entries({ ...auth, ...headers })) if (v) req = req.set(k, v);
      const res = await req.send({});
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
    });

    it('validation names the field; too large a body is 413', async () => {
      const bad = await post({ value: 'x' });
      expect(bad.body.errors).toEqual([{ path: '/value', message: 'must be integer' }]);
      const big = await post({ fail: 'x'.repeat(600) });
      expect(big.status).toBe(413);
    });

    it('unknown routes and jobs → 404 Resource.NotFound', async () => {
      expect((await request(app).get('/v1/nope').set(auth)).body.code).toBe('Resource.NotFound');
      expect((await request(app).get('/v1/jobs/job_missing').set(auth)).status).toBe(404);
    });

    it('ops endpoints need no token', async () => {
      expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok' });
      expect((await request(app).get('/readyz')).body).toEqual({ status: 'ready' });
      expect((await request(app).get('/readyz').set(auth)).body).toEqual({ status: 'ready', checks: { state: 'ok' } });
      const metrics = await request(app).get('/metrics');
      expect(metrics.text).toContain('dagwright_jobs_active');
      const openapi = (await request(app).get('/openapi.json')).body;
      expect(openapi.paths['/v1/echo/{name}'].post['x-job-kind']).toBe('toy.echo');
      expect(openapi.components.schemas.Problem.properties.code.enum).toContain('Bookmark.RunInProgress');
    });

    it('JSON nested deeper than the limit → 400 Request.Invalid, before any fingerprint (issue 11, finding 6)', async () => {
      const deep = '['.repeat(5000) + ']'.repeat(5000);
      const roomy = createApp({ module: toyModule(gates), runner, jobStore: store, tokens: new TokenSet([{ identity: 'ci', token: TOKEN }]), log: silent });
      const res = await request(roomy).post('/v1/echo/abc').set(auth).set('Idempotency-Key', 'deep').set('Content-Type', 'application/json').send(`{"extra":${deep}}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'Request.Invalid', errors: [{ path: '', message: expect.stringContaining('nested deeper than 64') }] });
      const ok = await request(roomy).post('/v1/echo/abc').set(auth).set('Idempotency-Key', 'shallow').set('Content-Type', 'application/json').send(`{"extra":${'['.repeat(60)}${']'.repeat(60)}}`);
      expect(ok.status).toBe(202);
    });

    it.each(['/v1/jobs/%', '/v1/jobs/%E0%A4%A', '/v1/echo/%zz'])('a bad percent-encoding in the path (%s) → 400 Request.Invalid (finding 7)', async (path) => {
      const res = await request(app).get(path).set(auth);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('Request.Invalid');
      const post = await request(app).post(path).set(auth).set('Idempotency-Key', 'k').send({});
      expect([400, 404]).toContain(post.status);
    });

    it('API responses say nosniff and no-store (finding 13)', async () => {
      for (const res of [await post({ value: 1 }), await request(app).get('/v1/nope').set(auth), await request(app).get('/readyz'), await request(app).get('/healthz')]) {
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['cache-control']).toBe('no-store');
      }
    });

    it('an unauthenticated /readyz does not name a failing dependency or where it is; an authenticated one does (finding 13)', async () => {
      const failing = createApp({
        module: { ...toyModule(gates), readiness: [{ name: 'warehouse', check: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5439'), { code: 'ECONNREFUSED' })) }] },
        runner,
        jobStore: store,
        tokens: new TokenSet([{ identity: 'ci', token: TOKEN }]),
        log: silent,
      });
      const anonymous = await request(failing).get('/readyz');
      expect(anonymous.status).toBe(503);
      expect(anonymous.body.code).toBe('Service.DependencyUnavailable');
      expect(JSON.stringify(anonymous.body)).not.toMatch(/warehouse|10\.1\.2\.3|5439|ECONNREFUSED/);
      const wrong = await request(failing).get('/readyz').set('Authorization', 'Bearer nope');
      expect(JSON.stringify(wrong.body)).not.toMatch(/warehouse|10\.1\.2\.3/);
      const authed = await request(failing).get('/readyz').set(auth);
      expect(authed.status).toBe(503);
      expect(authed.body.detail).toContain('warehouse: ECONNREFUSED: connect ECONNREFUSED 10.1.2.3:5439');
    });

    it('every response carries X-Request-Id', async () => {
      expect((await request(app).get('/healthz')).headers['x-request-id']).toBeTruthy();
      expect((await request(app).get('/v1/nope')).headers['x-request-id']).toBeTruthy();
    });

    it('draining: new work → 503 ShuttingDown, reads still work, readyz fails', async () => {
      const job = await post({ value: 1 });
      lifecycle.draining = true;
      const res = await post({ value: 2 }, 'other');
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('Service.ShuttingDown');
      expect((await request(app).get(`/v1/jobs/${job.body.id}`).set(auth)).status).toBe(200);
      expect((await request(app).get('/readyz')).status).toBe(503);
    });

    it('drain hands back a job that does not finish in the grace period', async () => {
      const res = await post({ block: true });
      await new Promise((r) => setTimeout(r, 20));
      expect(await runner.drain(50)).toEqual({ finished: 0, handedBack: 1 });
      const job = await getJob(res.body.id);
      expect(job).toMatchObject({ status: 'failed', error: { code: 'Job.Interrupted', retryable: true } });
      // The protocol: a retryable job error carries the wait as retry_after (finding 13).
      expect(job.error.retry_after).toEqual(expect.any(Number));
    });

    it('after a restart, a finished job is still reported and an unfinished one is failed Job.Interrupted', async () => {
      const done = await post({ value: 5 }, 'done');
      await waitForJob(getJob, done.body.id);
      const stuck = await post({ block: true }, 'stuck');
      await new Promise((r) => setTimeout(r, 20));
      // A new process: a new runner over the same store. Its clock is past the
      // old process's leases, as it would be after a real restart.
      const later = new Date(Date.now() + 60_000);
      const reborn = new JobRunner({ service: 'toy', store, log: silent, now: () => later });
      await reborn.start();
      reborn.stop();
      expect(await reborn.get(done.body.id, 'ci')).toMatchObject({ status: 'succeeded', result: { echoed: 5 } });
      expect(await reborn.get(stuck.body.id, 'ci')).toMatchObject({ status: 'failed', error: { code: 'Job.Interrupted', retryable: true, retry_after: expect.any(Number) } });
    });
  });
}
