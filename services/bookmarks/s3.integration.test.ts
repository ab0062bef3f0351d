/**
 * Integration: the bookmarks service in-process against a real S3 API (moto
 * on loopback, DAGWRIGHT_S3_ENDPOINT) and both state stores (SQLite, and
 * PostgreSQL from DAGWRIGHT_PG_URL). With CI=true a missing variable fails
 * the run instead of skipping it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import request from 'supertest';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../kit/app.js';
import { openJobStore } from '../kit/jobs/open-job-store.js';
import { JobRunner } from '../kit/jobs/runner.js';
import { TokenSet } from '../kit/middleware/auth/tokens.js';
import { createMetrics } from '../kit/ops/metrics.js';
import { testBackends } from '../kit/testing/backends.js';
import { s3Endpoint } from '../kit/testing/env.js';
import { waitForJob } from '../kit/testing/poll.js';
import { createBookmarksService } from './index.js';

const endpoint = s3Endpoint();
const backends = testBackends({ dir: mkdtempSync(join(tmpdir(), 'dw-s3it-')) });
const AUTH = { Authorization: 'Bearer integration-token' };
const awsEnv = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };

for (const backend of backends) {
  describe.skipIf(!endpoint.available || !backend.available)(`bookmarks against moto S3 (${backend.name} state)`, () => {
    const bucket = `dw-it-${backend.name}-${Date.now().toString(36)}`;
    let s3: S3Client;
    let app: ReturnType<typeof createApp>;
    let metrics: ReturnType<typeof createMetrics>;
    let cleanup: () => Promise<void>;

    const put = (key: string, body = 'x') => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    const listCalls = async () => {
      const text = await metrics.registry.getSingleMetricAsString('dagwright_bookmarks_s3_list_calls_total');
      return Number(/dagwright_bookmarks_s3_list_calls_total(?:\{[^}]*\})? (\d+)/.exec(text)?.[1] ?? 0);
    };
    const job = async (res: request.Response) => {
      expect(res.status).toBe(202);
      return waitForJob(async (id) => (await request(app).get(`/v1/jobs/${id}`).set(AUTH)).body, res.body.id);
    };
    const begin = (name: string, body: object) =>
      request(app).post(`/v1/bookmarks/${name}/runs`).set(AUTH).set('Idempotency-Key', `${name}/${JSON.stringify(body)}`).send(body);
    const commit = (name: string, runId: string) =>
      request(app).post(`/v1/bookmarks/${name}/runs/${runId}/commit`).set(AUTH).set('Idempotency-Key', `${name}/commit/${runId}`).send({});

    beforeAll(async () => {
      process.env.AWS_ACCESS_KEY_ID ??= 'test';
      process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
      s3 = new S3Client({ region: 'us-east-1', endpoint: endpoint.value, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      for (let d = 1; d <= 30; d++) {
        const day = `events/dt=2026-01-${String(d).padStart(2, '0')}`;
        await Promise.all(Array.from({ length: 40 }, (_, i) => put(`${day}/part-${i}.json`, `{"d":${d},"i":${i}}`)));
      }
      await put('events/_SUCCESS', '-');
      const state = await backend.open();
      metrics = createMetrics({ service: 'bookmarks' });
      // The first runs list 1,200 objects: inline here (these tests read the listing), not as a manifest.
      const bm = await createBookmarksService({ state, metrics, env: { ...awsEnv, DAGWRIGHT_S3_ENDPOINT: endpoint.value, DAGWRIGHT_S3_READY_BUCKET: bucket, DAGWRIGHT_BOOKMARKS_INLINE_MAX_OBJECTS: '10000' } });
      const jobStore = openJobStore(state);
      await jobStore.migrate();
      const runner = new JobRunner({ service: 'bookmarks', store: jobStore, log: pino({ level: 'silent' }) });
      await runner.start();
      app = createApp({ module: bm.module, runner, jobStore, tokens: new TokenSet([{ identity: 'it', token: 'integration-token' }]), log: pino({ level: 'silent' }), metrics });
      cleanup = async () => {
        await runner.idle();
        runner.stop();
        await bm.close();
        await state.close();
        await backend.dispose();
        s3.destroy();
      };
    }, 120_000);
    afterAll(() => cleanup?.());

    it('readyz checks S3 and the state store (each named to an authenticated caller only)', async () => {
      expect((await request(app).get('/readyz')).body).toEqual({ status: 'ready' });
      expect((await request(app).get('/readyz').set('Authorization', 'Bearer integration-token')).body).toEqual({ status: 'ready', checks: { state: 'ok', s3: 'ok' } });
    });

    it('hive partitions: the first run lists all, the next lists only recent partitions, nothing twice', async () => {
      const opts = { source: `s3://${bucket}/events/`, partitioning: 'hive', lookback_partitions: 1 };
      const calls0 = await listCalls();
      const first = await job(await begin('hive', { run_id: 'r1', ...opts }));
      const batch1 = (first.result as { batch: { objects: Array<{ key: string; etag: string }>; total_bytes: number } }).batch;
      expect(batch1.objects).toHaveLength(1200);
      expect(batch1.objects[0]?.etag).toMatch(/^[0-9a-f]{32}$/);
      expect(await listCalls() - calls0).toBe(2); // 1201 keys: two pages
      await job(await commit('hive', 'r1'));

      await put('events/dt=2026-01-31/new-0.json');
      await put('events/dt=2026-01-31/new-1.json');
      await put('events/dt=2026-01-30/part-0.json', 'overwritten'); // same key, new version
      const calls1 = await listCalls();
      const second = await job(await begin('hive', { run_id: 'r2', ...opts }));
      const keys2 = (second.result as { batch: { objects: Array<{ key: string }> } }).batch.objects.map((o) => o.key).sort();
      expect(keys2).toEqual(['events/dt=2026-01-30/part-0.json', 'events/dt=2026-01-31/new-0.json', 'events/dt=2026-01-31/new-1.json']);
      expect(await listCalls() - calls1).toBe(1); // only dt=2026-01-30 onward, one page
      await job(await commit('hive', 'r2'));

      const third = await job(await begin('hive', { run_id: 'r3', ...opts }));
      expect((third.result as { batch: { objects: unknown[] } }).batch.objects).toEqual([]);
    });

    it('without partitions, every run lists the whole prefix (the naive cost)', async () => {
      const calls0 = await listCalls();
      const first = await job(await begin('flat', { run_id: 'r1', source: `s3://${bucket}/events/` }));
      // 30 days × 40 parts and the two new objects; events/_SUCCESS is a marker, not data
      const keys = (first.result as { batch: { objects: { key: string }[] } }).batch.objects.map((o) => o.key);
      expect(keys.length).toBeGreaterThanOrEqual(1202);
      expect(keys).not.toContain('events/_SUCCESS');
      expect(await listCalls() - calls0).toBe(2);
    });

    it('a missing bucket fails the job with Resource.NotFound', async () => {
      const failed = await job(await begin('nobucket', { run_id: 'r1', source: 's3://dw-no-such-bucket/x/' }));
      expect(failed).toMatchObject({ status: 'failed', error: { code: 'Resource.NotFound', retryable: false } });
    });
  });
}
