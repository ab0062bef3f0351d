/** Scopes on the bookmarks API: every verb, the bookmark names, and the S3 source in and out of scope. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { pino } from 'pino';
import type { Express } from 'express';
import { beforeEach, describe, expect, it } from 'vitest';
import { GlueClient, GetJobBookmarkCommand, ResetJobBookmarkCommand } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { createApp } from '../../kit/app.js';
import { openJobStore } from '../../kit/jobs/open-job-store.js';
import { JobRunner } from '../../kit/jobs/runner.js';
import { TokenSet } from '../../kit/middleware/auth/tokens.js';
import { createMetrics } from '../../kit/ops/metrics.js';
import { parseScopes } from '../../kit/scopes/load.js';
import { openState, type StateBackend } from '../../kit/state/open-state.js';
import { waitForJob } from '../../kit/testing/poll.js';
import { GlueBookmarks } from '../glue/glue-bookmarks.js';
import { createBookmarksService } from '../index.js';
import { MemoryBucket } from '../testing/memory-bucket.js';
import { version } from '../testing/bookmarks-app.js';

const silent = pino({ level: 'silent' });
const AIRFLOW = { Authorization: 'Bearer airflow-token-1' };
const OPS = { Authorization: 'Bearer ops-token-22' };
const READER = { Authorization: 'Bearer reader-token-333' };
const dir = mkdtempSync(join(tmpdir(), 'dw-bm-scopes-'));
let n = 0;

const SCOPES = `
identities:
  airflow:
    verbs: [run]
    bookmarks: ["orders*"]
    s3: { read: ["s3://data/events/"] }
  ops:
    verbs: [admin, read]
    bookmarks: ["orders*", "etl"]
  reader:
    verbs: [read]
    bookmarks: ["orders"]
`;

describe('bookmarks API with scopes', () => {
  let app: Express;
  let bucket: MemoryBucket;
  let state: StateBackend;
  let runner: JobRunner;

  beforeEach(async () => {
    state = await openState({ spec: join(dir, `s${n++}.sqlite`) });
    bucket = new MemoryBucket('data');
    bucket.put(version('events/a', 1));
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
      { identity: 'ops', token: 'ops-token-22' },
      { identity: 'reader', token: 'reader-token-333' },
    ]);
    const { policy, errors } = parseScopes(SCOPES);
    expect(errors).toEqual([]);
    app = createApp({ module: bm.module, runner, jobStore, tokens, scopes: policy, log: silent, metrics });
    return async () => {
      await runner.idle();
      runner.stop();
      glue.restore();
      await bm.close();
      await state.close();
    };
  });

  const begin = (name: string, source: string, runId = 'r1', who = AIRFLOW) =>
    request(app).post(`/v1/bookmarks/${name}/runs`).set(who).set('Idempotency-Key', `begin/${name}/${runId}/${source}`).send({ run_id: runId, source });
  const done = async (res: request.Response) => {
    expect(res.status).toBe(202);
    return waitForJob(async (id) => (await request(app).get(`/v1/jobs/${id}`).set(AIRFLOW)).body, res.body.id);
  };
  const expectScope = (res: request.Response, code: string) => {
    expect(res.status).toBe(403);
    expect(res.body.code).toBe(code);
  };

  it('run: begin and commit in scope; the job is the caller’s own', async () => {
    const begun = await done(await begin('orders', 's3://data/events/'));
    expect(begun.status).toBe('succeeded');
    expect((await done(await request(app).post('/v1/bookmarks/orders/runs/r1/commit').set(AIRFLOW).set('Idempotency-Key', 'c1').send({}))).status).toBe('succeeded');
    expectScope(await request(app).get(`/v1/jobs/${begun.id}`).set(OPS), 'Scope.Run');
  });

  it('run: an identity without the verb gets 403 Scope.Run before anything is created', async () => {
    expectScope(await begin('orders', 's3://data/events/', 'r1', OPS), 'Scope.Run');
    expectScope(await request(app).post('/v1/bookmarks/orders/runs/r1/commit').set(READER).set('Idempotency-Key', 'c1').send({}), 'Scope.Run');
    expect(state.kind === 'sqlite' && state.db.prepare('SELECT count(*) AS n FROM jobs').get()).toEqual({ n: 0 });
  });

  it('bookmark names out of scope: 403 Scope.Bookmark on begin, commit, read and admin', async () => {
    expectScope(await begin('payments', 's3://data/events/'), 'Scope.Bookmark');
    expectScope(await request(app).post('/v1/bookmarks/payments/runs/r1/commit').set(AIRFLOW).set('Idempotency-Key', 'c1').send({}), 'Scope.Bookmark');
    expectScope(await request(app).get('/v1/bookmarks/payments').set(OPS), 'Scope.Bookmark');
    expectScope(await request(app).post('/v1/bookmarks/payments/reset').set(OPS).send({}), 'Scope.Bookmark');
  });

  it.each([
    ['s3://data/events/', true],
    ['s3://data/events/dt=2026-01-01/', true],
    ['s3://data/', false],
    ['s3://data/event', false],
    ['s3://other-bucket/private/', false],
  ])('S3 source %s in scope: %s', async (source, inScope) => {
    const res = await begin('orders', source);
    if (inScope) expect(res.status).toBe(202);
    else {
      expectScope(res, 'Scope.S3Read');
      expect(res.body.detail).toContain(source);
    }
  });

  it('admin: reset, rewind, abandon, enable/pause/disable and the Glue reset need admin', async () => {
    await done(await begin('orders', 's3://data/events/', 'r1'));
    await done(await request(app).post('/v1/bookmarks/orders/runs/r1/commit').set(AIRFLOW).set('Idempotency-Key', 'c1').send({}));
    await done(await begin('orders', 's3://data/events/', 'r2'));
    const adminCalls: Array<[string, object]> = [
      ['/v1/bookmarks/orders/runs/r2/abandon', {}],
      ['/v1/bookmarks/orders/rewind', { run_id: 'r1' }],
      ['/v1/bookmarks/orders/reset', {}],
      ['/v1/bookmarks/orders/pause', {}],
      ['/v1/bookmarks/orders/disable', {}],
      ['/v1/bookmarks/orders/enable', {}],
      ['/v1/glue-jobs/etl/bookmark/reset', {}],
    ];
    for (const [path, body] of adminCalls) {
      expectScope(await request(app).post(path).set(AIRFLOW).send(body), 'Scope.Admin');
      expectScope(await request(app).post(path).set(READER).send(body), 'Scope.Admin');
    }
    for (const [path, body] of adminCalls) expect([path, (await request(app).post(path).set(OPS).send(body)).status]).toEqual([path, 200]);
  });

  it('read: state and history need read, and the list shows only bookmarks in scope', async () => {
    await done(await begin('orders', 's3://data/events/'));
    await done(await begin('orders_eu', 's3://data/events/'));
    for (const path of ['/v1/bookmarks', '/v1/bookmarks/orders', '/v1/bookmarks/orders/history', '/v1/bookmarks/orders/runs', '/v1/bookmarks/orders/runs/r1', '/v1/glue-jobs/etl/bookmark', '/v1/glue-jobs/etl/history']) {
      expectScope(await request(app).get(path).set(AIRFLOW), 'Scope.Read');
    }
    expect((await request(app).get('/v1/bookmarks/orders/history').set(READER)).status).toBe(200);
    expect((await request(app).get('/v1/glue-jobs/etl/bookmark').set(OPS)).status).toBe(200);
    const names = (res: request.Response) => (res.body.bookmarks as Array<{ name: string }>).map((b) => b.name).sort();
    expect(names(await request(app).get('/v1/bookmarks').set(READER))).toEqual(['orders']);
    expect(names(await request(app).get('/v1/bookmarks').set(OPS))).toEqual(['orders', 'orders_eu']);
  });
});
