/** The bookmarks HTTP API in-process (createApp + supertest), with an in-memory bucket and SQLite. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { pino } from 'pino';
import type { Express } from 'express';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../kit/app.js';
import { openJobStore } from '../../kit/jobs/open-job-store.js';
import { JobRunner } from '../../kit/jobs/runner.js';
import { TokenSet } from '../../kit/middleware/auth/tokens.js';
import { createMetrics } from '../../kit/ops/metrics.js';
import { openState, type StateBackend } from '../../kit/state/open-state.js';
import { waitForJob } from '../../kit/testing/poll.js';
import { createBookmarksService } from '../index.js';
import { MemoryBucket } from '../testing/memory-bucket.js';
import { version } from '../testing/bookmarks-app.js';
import { GlueBookmarks } from '../glue/glue-bookmarks.js';
import { GlueClient, GetJobBookmarkCommand, ResetJobBookmarkCommand } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';

const silent = pino({ level: 'silent' });
const AIRFLOW = { Authorization: 'Bearer airflow-token-1' };
const ADMIN = { Authorization: 'Bearer admin-token-22' };
const dir = mkdtempSync(join(tmpdir(), 'dw-bm-http-'));
let n = 0;

describe('bookmarks HTTP API', () => {
  let app: Express;
  let bucket: MemoryBucket;
  let state: StateBackend;
  let runner: JobRunner;

  beforeEach(async () => {
    state = await openState({ spec: join(dir, `s${n++}.sqlite`) });
    bucket = new MemoryBucket('data');
    const metrics = createMetrics({ service: 'bookmarks' });
    const glue = mockClient(GlueClient);
    glue.on(GetJobBookmarkCommand).resolves({ JobBookmarkEntry: { JobName: 'etl', Version: 2, JobBookmark: '{}' } });
    glue.on(ResetJobBookmarkCommand).resolves({ JobBookmarkEntry: { JobName: 'etl', Version: 3 } });
    const bm = await createBookmarksService({ state, metrics, env: {}, lister: bucket, glue: new GlueBookmarks(new GlueClient({ region: 'us-east-1' })) });
    const jobStore = openJobStore(state);
    await jobStore.migrate();
    runner = new JobRunner({ service: 'bookmarks', store: jobStore, log: silent });
    await runner.start();
    const tokens = new TokenSet([
      { identity: 'airflow', token: 'airflow-token-1' },
      { identity: 'alice', token: 'admin-token-22' },
    ]);
    app = createApp({ module: bm.module, runner, jobStore, tokens, log: silent, metrics, maxBodyBytes: 4096 });
    return async () => {
      await runner.idle();
      runner.stop();
      glue.restore();
      await bm.close();
      await state.close();
    };
  });

  const job = async (res: request.Response) => {
    expect(res.status).toBeLessThan(300);
    return waitForJob(async (id) => (await request(app).get(`/v1/jobs/${id}`).set(AIRFLOW)).body, res.body.id);
  };
  const begin = (name: string, body: object, key = `dag/begin/${name}/${JSON.stringify(body)}`) =>
    request(app).post(`/v1/bookmarks/${name}/runs`).set(AIRFLOW).set('Idempotency-Key', key).send(body);
  const commit = (name: string, runId: string, key = `dag/commit/${name}/${runId}`) =>
    request(app).post(`/v1/bookmarks/${name}/runs/${encodeURIComponent(runId)}/commit`).set(AIRFLOW).set('Idempotency-Key', key).send({});

  it('a malformed percent-encoding in a path is 400 Request.Invalid; answers say nosniff and no-store (issue 11, findings 7, 13)', async () => {
    for (const path of ['/v1/jobs/%', '/v1/bookmarks/%E0%A4%A', '/v1/bookmarks/%E0%A4%A/history']) {
      const res = await request(app).get(path).set(AIRFLOW);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('Request.Invalid');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  /** Everything a bad request must leave alone. */
  const snapshot = async () => ({
    bookmarks: (await request(app).get('/v1/bookmarks').set(AIRFLOW)).body,
    history: (await request(app).get('/v1/bookmarks/orders/history').set(AIRFLOW)).body,
    jobs: state.kind === 'sqlite' ? state.db.prepare('SELECT count(*) AS n FROM jobs').get() : null,
  });

  it('begin → the batch under result.batch, grouped; commit → the bookmark; history names who', async () => {
    bucket.put(version('events/dt=2026-01-01/a.json', 1, 'e1', 300));
    bucket.put(version('events/dt=2026-01-01/b.json', 2, 'e2', 300));
    bucket.put(version('events/dt=2026-01-02/c.json', 3, 'e3', 300));
    const runId = 'scheduled__2026-01-02T00:00:00+00:00';
    const begun = await job(await begin('orders', { run_id: runId, source: 's3://data/events/', partitioning: 'hive', target_batch_bytes: 500 }));
    expect(begun.status).toBe('succeeded');
    const result = begun.result as { run_id: string; batch: { objects: Array<{ key: string; etag: string; size: number; last_modified: string }>; total_bytes: number }; groups: unknown[] };
    expect(result.run_id).toBe(runId);
    expect(result.batch.total_bytes).toBe(900);
    expect(result.batch.objects[0]).toEqual({ key: 'events/dt=2026-01-01/a.json', etag: 'e1', size: 300, last_modified: '2026-01-01T00:01:00.000Z' });
    expect(result.groups).toEqual([
      { first: 0, count: 1, total_bytes: 300, partition: '2026-01-01' },
      { first: 1, count: 1, total_bytes: 300, partition: '2026-01-01' },
      { first: 2, count: 1, total_bytes: 300, partition: '2026-01-02' },
    ]);
    const committed = await job(await commit('orders', runId));
    expect(committed.result).toMatchObject({ name: 'orders', inflight_run_id: null, last_committed_run_id: runId, state: { partition: '2026-01-02', layout: 'dt' } });
    await request(app).post('/v1/bookmarks/orders/pause').set(ADMIN).send({}).expect(200);
    const history = (await request(app).get('/v1/bookmarks/orders/history').set(AIRFLOW)).body.history;
    expect(history.map((h: { action: string; actor: string }) => `${h.action}:${h.actor}`)).toEqual(['paused:alice', 'run.committed:airflow', 'run.begun:airflow', 'created:airflow']);
    const filtered = (await request(app).get('/v1/bookmarks/orders/history?action=run.committed&limit=5').set(AIRFLOW)).body.history;
    expect(filtered).toHaveLength(1);
    const run = (await request(app).get(`/v1/bookmarks/orders/runs/${encodeURIComponent(runId)}`).set(AIRFLOW)).body;
    expect(run).toMatchObject({ status: 'committed', advanced: true, begun_by: 'airflow' });
  });

  it('a second concurrent run → 409 Bookmark.RunInProgress with an explanation; nothing is created', async () => {
    await job(await begin('orders', { run_id: 'r1', source: 's3://data/events/' }));
    const before = await snapshot();
    const second = await begin('orders', { run_id: 'r2', source: 's3://data/events/' });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'Bookmark.RunInProgress', retryable: false });
    expect(second.body.detail).toContain('r1');
    expect(await snapshot()).toEqual(before);
  });

  it('a retried begin (same run, new try) gets the same batch', async () => {
    bucket.put(version('events/a', 1));
    const first = await job(await begin('orders', { run_id: 'r1', source: 's3://data/events/' }, 'k-try1'));
    bucket.put(version('events/b', 2));
    const again = await job(await begin('orders', { run_id: 'r1', source: 's3://data/events/' }, 'k-try2'));
    expect(again.id).not.toBe(first.id);
    expect(again.result).toEqual(first.result);
  });

  it('a begin that failed, sent again fixed under the same key (spec fixed, task cleared), lists with the fixed options', async () => {
    bucket.put(version('events/dt=2026-01-01/a.json', 1, 'e1'));
    bucket.put(version('events/dt=2026-01-02/b.json', 2, 'e2'));
    const listPage = bucket.listPage.bind(bucket);
    let failNext = true;
    bucket.listPage = async (req) => {
      if (!failNext) return listPage(req);
      failNext = false;
      throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    };
    const key = 'dag/pick/r1/-1';
    const failed = await job(await begin('orders', { run_id: 'r1', source: 's3://data/events/' }, key));
    expect(failed).toMatchObject({ status: 'failed', attempt: 1 });
    const fixed = await job(await begin('orders', { run_id: 'r1', source: 's3://data/events/', partitioning: 'hive' }, key));
    expect(fixed).toMatchObject({ status: 'succeeded', attempt: 2 });
    const result = fixed.result as { groups: Array<{ partition: string | null }> };
    expect(result.groups.map((g) => g.partition)).toEqual(['2026-01-01', '2026-01-02']);
    // The run keeps the options its batch was listed with: the commit advances by partition.
    const committed = await job(await commit('orders', 'r1'));
    expect(committed.result).toMatchObject({ inflight_run_id: null, last_committed_run_id: 'r1', state: { partition: '2026-01-02' } });
  });

  it('a later run waits (Bookmark.RunInProgress) until the run holding the bookmark is recovered, then begins', async () => {
    await job(await begin('orders', { run_id: 'r1', source: 's3://data/events/' }, 'dag/pick/r1/-1'));
    // r1's load failed, so r1 did not commit: the next run is refused, with no job created.
    const refused = await begin('orders', { run_id: 'r2', source: 's3://data/events/' }, 'dag/pick/r2/-1');
    expect(refused.body).toMatchObject({ status: 409, code: 'Bookmark.RunInProgress' });
    // r1 recovered (its load cleared and done): r1 commits; clearing r2's begin then succeeds, same key.
    await job(await commit('orders', 'r1', 'dag/pick_commit/r1/-1'));
    const r2 = await job(await begin('orders', { run_id: 'r2', source: 's3://data/events/' }, 'dag/pick/r2/-1'));
    expect(r2).toMatchObject({ status: 'succeeded', attempt: 1 });
  });

  describe('bad input gets a clear 4xx problem, and nothing changes', () => {
    beforeEach(async () => {
      bucket.put(version('events/a', 1));
      await job(await begin('orders', { run_id: 'r1', source: 's3://data/events/' }));
    });

    it.each([
      ['an unknown bookmark (GET)', () => request(app).get('/v1/bookmarks/nope').set(AIRFLOW), 404, 'Bookmark.NotFound'],
      ['an unknown bookmark (commit)', () => commit('nope', 'r1'), 404, 'Bookmark.NotFound'],
      ['an unknown bookmark (admin)', () => request(app).post('/v1/bookmarks/nope/reset').set(ADMIN).send({}), 404, 'Bookmark.NotFound'],
      ['a malformed S3 URI', () => begin('fresh', { run_id: 'r9', source: 's3://Bad_Bucket/x' }), 400, 'Source.InvalidUri'],
      ['a URI that is not S3', () => begin('fresh', { run_id: 'r9', source: 'gs://bucket/x/' }), 400, 'Source.InvalidUri'],
      ['a commit for a run that never began', () => commit('orders', 'never'), 404, 'Bookmark.RunNotFound'],
      ['a body that is too large', () => begin('orders', { run_id: 'r9', source: `s3://data/${'x'.repeat(5000)}/` }), 413, 'Request.TooLarge'],
      ['a missing token', () => request(app).post('/v1/bookmarks/orders/runs').set('Idempotency-Key', 'k').send({ run_id: 'r9', source: 's3://data/events/' }), 401, 'Auth.Unauthorized'],
      ['a wrong token', () => request(app).post('/v1/bookmarks/orders/reset').set('Authorization', 'Bearer wrong-token-9').send({}), 401, 'Auth.Unauthorized'],
      ['an unknown field', () => begin('orders', { run_id: 'r9', source: 's3://data/events/', partition: 'hive' }), 400, 'Request.Invalid'],
      ['a bad option', () => begin('orders', { run_id: 'r9', source: 's3://data/events/', tolerance_seconds: -1 }), 400, 'Request.Invalid'],
      ['a bad bookmark name', () => begin('-bad', { run_id: 'r9', source: 's3://data/events/' }), 400, 'Request.Invalid'],
      ['a non-JSON body', () => request(app).post('/v1/bookmarks/orders/runs').set(AIRFLOW).set('Idempotency-Key', 'k').set('Content-Type', 'text/plain').send('run'), 415, 'Request.UnsupportedMediaType'],
      ['rewind to a run that never committed', () => request(app).post('/v1/bookmarks/orders/rewind').set(ADMIN).send({ run_id: 'r1' }), 404, 'Bookmark.RunNotFound'],
    ])('%s → %s %s', async (_name, send, status, code) => {
      const before = await snapshot();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code, status, retryable: false });
      expect(typeof res.body.title).toBe('string');
      expect(await snapshot()).toEqual(before);
    });

    it('names the field in a validation error', async () => {
      const res = await begin('orders', { source: 's3://data/events/', lookback_partitions: 'x' });
      expect(res.body.errors).toEqual([
        { path: '/run_id', message: 'is required' },
        { path: '/lookback_partitions', message: 'must be integer' },
      ]);
    });

    it('a disabled bookmark refuses begin with 409 Bookmark.Disabled', async () => {
      await job(await commit('orders', 'r1'));
      await request(app).post('/v1/bookmarks/orders/disable').set(ADMIN).send({}).expect(200);
      const res = await begin('orders', { run_id: 'r2', source: 's3://data/events/' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('Bookmark.Disabled');
    });
  });

  it('admin: abandon, enable, reset, rewind over HTTP', async () => {
    bucket.put(version('events/a', 1));
    await job(await begin('orders', { run_id: 'r1', source: 's3://data/events/' }));
    await job(await commit('orders', 'r1'));
    await job(await begin('orders', { run_id: 'r2', source: 's3://data/events/' }));
    expect((await request(app).post('/v1/bookmarks/orders/runs/r2/abandon').set(ADMIN).send({})).body.inflight_run_id).toBeNull();
    expect((await request(app).post('/v1/bookmarks/orders/rewind').set(ADMIN).send({ run_id: 'r1' })).status).toBe(200);
    expect((await request(app).post('/v1/bookmarks/orders/reset').set(ADMIN).send({})).body.state.high).toBeNull();
    expect((await request(app).post('/v1/bookmarks/orders/enable').set(ADMIN).send({})).body.status).toBe('enabled');
    const runs = (await request(app).get('/v1/bookmarks/orders/runs').set(AIRFLOW)).body.runs;
    expect(runs.map((r: { run_id: string; status: string }) => `${r.run_id}:${r.status}`)).toEqual(['r2:abandoned', 'r1:committed']);
  });

  it('Glue job bookmarks over HTTP (Glue mocked with aws-sdk-client-mock); resets go into the history', async () => {
    expect((await request(app).get('/v1/glue-jobs/etl/bookmark').set(AIRFLOW)).body).toMatchObject({ job_name: 'etl', version: 2 });
    expect((await request(app).post('/v1/glue-jobs/etl/bookmark/reset').set(ADMIN).send({ run_id: 'jr_1' })).body.version).toBe(3);
    const history = (await request(app).get('/v1/glue-jobs/etl/history').set(AIRFLOW)).body;
    expect(history.history[0]).toMatchObject({ action: 'glue.reset', actor: 'alice', run_id: 'jr_1' });
  });

  it('counts list calls under dagwright_bookmarks_s3_list_calls_total and, the same, under the deprecated dagwright_s3_list_calls_total', async () => {
    const counts = async () => {
      const text = (await request(app).get('/metrics')).text;
      const count = (name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\d+)$`, 'm').exec(text)?.[1]);
      return [count('dagwright_bookmarks_s3_list_calls_total'), count('dagwright_s3_list_calls_total')];
    };
    expect(await counts()).toEqual([0, 0]);
    bucket.put(version('events/a.json', 1));
    await job(await begin('orders', { run_id: 'r1', source: 's3://data/events/' }));
    const [current, deprecated] = await counts();
    expect(current).toBeGreaterThan(0);
    expect(deprecated).toBe(current);
  });

  it('openapi lists the bookmark endpoints and the job kinds', async () => {
    const doc = (await request(app).get('/openapi.json')).body;
    expect(doc.paths['/v1/bookmarks/{name}/runs'].post['x-job-kind']).toBe('bookmark.begin');
    expect(doc.paths['/v1/bookmarks/{name}/runs/{run_id}/commit'].post['x-job-kind']).toBe('bookmark.commit');
    expect(doc.paths['/v1/bookmarks/{name}/history'].get).toBeDefined();
  });
});
