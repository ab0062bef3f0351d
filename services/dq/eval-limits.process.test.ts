/**
 * Every evaluation has a time limit and a memory limit that hold, whatever its SQL does:
 * it runs in a child process that is killed at either limit, on cancellation and on
 * shutdown. A request may ask for less than the service's maximum, never more.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, FOREVER, startTestApp, type TestApp } from './testing/dq-app.js';

const root = mkdtempSync(join(tmpdir(), 'dw-dq-eval-limits-'));
const data = join(root, 'data.csv');
let t: TestApp;

/** A 2 GB string: DuckDB's memory_limit does not hold it, and an interrupt does not stop it. */
const HUGE_STRING = `CustomSql "select length(repeat('x', 2000000000))" > 0`;

beforeAll(async () => {
  mkdirSync(root, { recursive: true });
  writeFileSync(data, `id\n${Array.from({ length: 1000 }, (_, i) => i).join('\n')}\n`);
  t = await startTestApp({ DAGWRIGHT_DQ_LOCAL_ROOTS: root, DAGWRIGHT_DQ_TIME_LIMIT_SECONDS: '60', DAGWRIGHT_DQ_MEMORY_LIMIT: '500MB', DAGWRIGHT_DQ_THREADS: '1' });
});
afterAll(async () => {
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

const body = (rule: string, extra: object = {}) => ({ dataset: data, ruleset: `Rules = [ ${rule} ]`, on_violation: 'warn', ...extra });

describe('evaluation limits', () => {
  it('a query that runs for ever fails with DQ.TimeLimitExceeded at the requested limit', async () => {
    const started = Date.now();
    const { job } = await t.evaluate(body(FOREVER, { limits: { time_seconds: 2 } }));
    expect(job).toMatchObject({ status: 'failed', error: { code: 'DQ.TimeLimitExceeded', retryable: false } });
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);

  it("a 2 GB string fails with DQ.MemoryLimitExceeded at the service's 500 MB", async () => {
    const { job } = await t.evaluate(body(HUGE_STRING));
    expect(job).toMatchObject({ status: 'failed', error: { code: 'DQ.MemoryLimitExceeded', retryable: false } });
    expect(job!.error!.detail).toMatch(/more than its limit of 500 MB/);
  }, 120_000);

  it('a request may not ask for more than the maximum: 400 Request.Invalid', async () => {
    const { post } = await t.evaluate(body('RowCount > 0', { limits: { time_seconds: 61, memory_mb: 501 } }));
    expect(post.status).toBe(400);
    expect(post.body.errors.map((e: { path: string }) => e.path)).toEqual(['/limits/time_seconds', '/limits/memory_mb']);
  });

  it('within the limits an evaluation completes', async () => {
    const { job } = await t.evaluate(body('RowCount = 1000', { limits: { time_seconds: 30, memory_mb: 400 } }));
    expect(job).toMatchObject({ status: 'succeeded', result: { outcome: 'passed', rows_in: 1000 } });
  }, 120_000);

  it('shutdown stops a running evaluation at once and hands the job back', async () => {
    const post = await request(t.app).post('/v1/evaluations').set(AUTH).set('Idempotency-Key', 'shutdown-1').send(body(FOREVER));
    expect(post.status).toBe(202);
    await new Promise((r) => setTimeout(r, 1_500));
    const started = Date.now();
    const drained = await t.runner.drain(100);
    await t.runner.idle();
    expect(drained.handedBack).toBe(1);
    expect(Date.now() - started).toBeLessThan(3_000);
    const job = (await request(t.app).get(`/v1/jobs/${post.body.id as string}`).set(AUTH)).body;
    expect(job).toMatchObject({ status: 'failed', error: { code: 'Job.Interrupted' } });
  }, 30_000);
});

describe('limit configuration', () => {
  it.each(['DAGWRIGHT_DQ_MEMORY_LIMIT', 'DAGWRIGHT_DQ_SPILL_LIMIT'])('%s that is not a size stops the service at start, naming it', async (name) => {
    await expect(startTestApp({ [name]: 'lots' })).rejects.toThrow(`${name} must be a size such as 500MB or 2GiB, not "lots"`);
  });
});
