/**
 * Issue 10: a first run over a prefix of 100,000 objects. The bookmark's batch crosses the DAG
 * as a reference to its manifest, not as the list: begin writes the manifest to S3 (moto); dq and
 * the loader take the reference in a small body and read every object it lists, once; the commit
 * moves the bookmark past all of them; no request body or job result (what crosses XCom) comes
 * near the 1 MiB limit.
 *
 * The data itself goes through dq and into PostgreSQL for a second prefix, of 10,000 objects
 * (an inline list of them is over 1 MiB, so this batch too can only travel as a manifest):
 * bookmark → dq → load, each object read once by dq and copied once by the loader, each row in
 * the table once. For 100,000, both engines cost minutes per batch here: dq's DuckDB reads each
 * object as a file (about 3 ms a file) and the loader runs one COPY per object (over 10 minutes
 * for 100,000 on this shared machine), so the 100,000-object run stops at what each service
 * reads from the manifest.
 *
 * The 100,000 data objects are generated in memory (the bookmarks lister, dq's and the loader's
 * object stores): moto stores about 70 objects a second on this machine, so 100,000 real objects
 * would take half an hour to put. The manifests are real S3 objects on moto, written and read
 * through the services' own S3 clients.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookmarksService } from './bookmarks/index.js';
import { MemoryBucket } from './bookmarks/testing/memory-bucket.js';
import { createDqService } from './dq/index.js';
import type { ObjectStorage, StoredObject } from './dq/objects/object-storage.js';
import { createApp } from './kit/app.js';
import { openJobStore } from './kit/jobs/open-job-store.js';
import { JobRunner } from './kit/jobs/runner.js';
import type { Job } from './kit/jobs/types.js';
import { TokenSet } from './kit/middleware/auth/tokens.js';
import { createMetrics } from './kit/ops/metrics.js';
import type { ServiceModule } from './kit/service-module.js';
import { openState } from './kit/state/open-state.js';
import { s3Endpoint } from './kit/testing/env.js';
import { waitForJob } from './kit/testing/poll.js';
import type { BatchObject } from './loader/domain/types.js';
import { createLoaderService } from './loader/index.js';
import type { ObjectSource } from './loader/objects/object-source.js';
import { conformanceTargets, type TestWarehouse } from './loader/testing/warehouses.js';
import { planDataset } from './dq/domain/dataset.js';
import { datasetObjects } from './dq/domain/fetch.js';
import { s3ManifestReader } from './kit/batch-manifest/index.js';
import { loadInput } from './loader/domain/request.js';
import type { LoadBody } from './loader/domain/types.js';
import type { ManifestLoad } from './loader/domain/types.js';
import { readManifestLoad } from './loader/domain/manifest-load.js';

const N = 100_000;
const M = 10_000;
const BUCKET = `dw-large-${Date.now().toString(36)}`;
const PREFIX = 'landing/orders/';
const CHECKED = 'landing/returns/';
const AUTH = { Authorization: 'Bearer large-batch-token' };
/** A request body or a job result that crosses XCom: far below the services' 1 MiB limit. */
const SMALL = 4 * 1024;

const endpoint = s3Endpoint();
const postgres = conformanceTargets().find((t) => t.kind === 'postgres');

const keyOf = (i: number, prefix = PREFIX) => `${prefix}part-${String(i).padStart(6, '0')}.csv`;
const bodyOf = (key: string) => Buffer.from(`id,name\n${Number(/part-(\d+)\.csv$/.exec(key)?.[1])},order-${key.slice(-10, -4)}\n`);

/**
 * The 100,000 objects, generated: what dq and the loader read of each is counted. dq reads them
 * through its ObjectStorage, the loader through its ObjectSource: one view of the objects each.
 */
class GeneratedObjects {
  readonly dqReads = new Map<string, number>();
  readonly loaderCopies = new Map<string, number>();

  private check(bucket: string, key: string): Buffer {
    if (bucket !== BUCKET || !/^landing\/(orders|returns)\/part-\d{6}\.csv$/.test(key)) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
    return bodyOf(key);
  }

  readonly dq: ObjectStorage = {
    list: async (): Promise<StoredObject[]> => {
      throw new Error('the batch came as a manifest: dq must not list the prefix');
    },
    download: async (object, file) => {
      writeFileSync(file, this.check(object.bucket, object.key));
      this.dqReads.set(object.key, (this.dqReads.get(object.key) ?? 0) + 1);
    },
    upload: async () => {
      throw new Error('no outputs in this test');
    },
    copy: async () => {
      throw new Error('no outputs in this test');
    },
    delete: async () => {
      throw new Error('no outputs in this test');
    },
    put: async () => {
      throw new Error('no outputs in this test');
    },
  };

  readonly loader: ObjectSource = {
    size: async (object) => object.size ?? this.check(object.bucket, object.key).length,
    open: async (object, options = {}) => {
      const body = this.check(object.bucket, object.key);
      if (options.range) return Readable.from([body.subarray(options.range[0], options.range[1] + 1)]);
      this.loaderCopies.set(object.key, (this.loaderCopies.get(object.key) ?? 0) + 1);
      return Readable.from([body]);
    },
    download: async () => {
      throw new Error('the loader streams these objects: it must not download them');
    },
    put: async () => {
      throw new Error('no outputs in this test');
    },
  };
}

interface Served {
  readonly app: Express;
  close(): Promise<void>;
}

const silent = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'dw-large-'));

async function serve(name: string, build: (state: Awaited<ReturnType<typeof openState>>, metrics: ReturnType<typeof createMetrics>) => Promise<{ module: ServiceModule; close(): Promise<void> }>): Promise<Served> {
  const state = await openState({ spec: join(dir, `${name}.sqlite`) });
  const metrics = createMetrics({ service: name });
  const service = await build(state, metrics);
  const jobStore = openJobStore(state);
  await jobStore.migrate();
  const runner = new JobRunner({ service: name, store: jobStore, log: silent });
  await runner.start();
  const app = createApp({ module: service.module, runner, jobStore, tokens: new TokenSet([{ identity: 'airflow', token: 'large-batch-token' }]), log: silent, metrics, maxBodyBytes: 1024 * 1024 });
  return {
    app,
    async close() {
      await runner.idle();
      runner.stop();
      await service.close();
      await state.close();
    },
  };
}

/** What the test sent and got back, in bytes of JSON. */
const sizes: Array<{ what: string; bytes: number }> = [];

async function runJob(app: Express, path: string, body: object, key: string, what: string): Promise<Job> {
  sizes.push({ what: `${what} request`, bytes: Buffer.byteLength(JSON.stringify(body)) });
  const post = await request(app).post(path).set(AUTH).set('Idempotency-Key', key).send(body);
  expect(post.status, JSON.stringify(post.body)).toBeLessThan(300);
  const job = await waitForJob(async (id) => (await request(app).get(`/v1/jobs/${id}`).set(AUTH)).body as Job, post.body.id as string, 600_000);
  if (job.result !== undefined) sizes.push({ what: `${what} result`, bytes: Buffer.byteLength(JSON.stringify(job.result)) });
  return job;
}

/** `pull_batch` (python/dagwright_airflow/operators/_xcom.py): the batch, with the run's source. */
function pullBatch(value: { source?: string; batch: Record<string, unknown> }): Record<string, unknown> {
  return 'source' in value.batch || value.source === undefined ? value.batch : { source: value.source, ...value.batch };
}

describe.skipIf(!endpoint.available || !postgres?.available)('a first run over 100,000 objects: the batch travels as a manifest', () => {
  const objects = new GeneratedObjects();
  const env = { DAGWRIGHT_S3_ENDPOINT: endpoint.value, AWS_REGION: 'us-east-1' };
  let s3: S3Client;
  let bookmarks: Served;
  let dq: Served;
  let loader: Served;
  let warehouse: TestWarehouse;

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID ??= 'testing';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
    s3 = new S3Client({ region: 'us-east-1', endpoint: endpoint.value, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const listing = new MemoryBucket(BUCKET);
    const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
    for (let i = 0; i < N; i++) listing.put({ key: keyOf(i), etag: `e${i}`, size: bodyOf(keyOf(i)).length, last_modified: at });
    for (let i = 0; i < M; i++) listing.put({ key: keyOf(i, CHECKED), etag: `r${i}`, size: bodyOf(keyOf(i, CHECKED)).length, last_modified: at });
    warehouse = await postgres!.open();
    await warehouse.exec(`CREATE TABLE ${warehouse.schema}.orders (id BIGINT NOT NULL, name TEXT)`);
    await warehouse.exec(`CREATE TABLE ${warehouse.schema}.returns (id BIGINT NOT NULL, name TEXT)`);
    bookmarks = await serve('bookmarks', (state, metrics) => createBookmarksService({ state, metrics, env, lister: listing }));
    dq = await serve('dq', (state, metrics) => createDqService({ state, metrics, env: { ...env, DAGWRIGHT_DQ_WORK_DIR: join(dir, 'dq-work') }, s3: objects.dq }));
    loader = await serve('loader', async (_state, metrics) => createLoaderService({ env, metrics, log: silent, objects: objects.loader, targets: new Map([['analytics', warehouse.target]]), tempDir: join(dir, 'loader') }));
  }, 300_000);

  afterAll(async () => {
    await bookmarks?.close();
    await dq?.close();
    await loader?.close();
    await warehouse?.dispose();
  });

  let begun: { run_id: string; source: string; batch: Record<string, unknown>; groups: unknown[] };

  it('begin answers a reference to the batch manifest, written in S3 next to the source', async () => {
    const job = await runJob(bookmarks.app, '/v1/bookmarks/orders.begin/runs', { run_id: 'scheduled__2026-01-02T00:00:00+00:00', source: `s3://${BUCKET}/${PREFIX}` }, 'orders/begin/r1/-1', 'begin');
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    begun = job.result as typeof begun;
    expect(begun.batch).not.toHaveProperty('objects');
    expect(begun.batch).toMatchObject({ source: `s3://${BUCKET}/${PREFIX}`, count: N, total_bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(String(begun.batch.manifest)).toMatch(new RegExp(`^s3://${BUCKET}/_dagwright/batches/bookmark=orders\\.begin/run=scheduled__2026-01-02T00%3A00%3A00%2B00%3A00/[0-9a-f]{64}\\.jsonl$`));
    const key = String(begun.batch.manifest).slice(`s3://${BUCKET}/`.length);
    const text = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { key: string });
    expect(lines).toHaveLength(N);
    expect(new Set(lines.map((l) => l.key)).size).toBe(N);
    // What dq and the loader check the manifest against when they read it.
    expect(createHash('sha256').update(text).digest('hex')).toBe(begun.batch.sha256);
  }, 600_000);

  it('a retry of the run, and a later begin of the same run, answer the same manifest, unchanged', async () => {
    const key = String(begun.batch.manifest).slice(`s3://${BUCKET}/`.length);
    const before = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    const replay = await runJob(bookmarks.app, '/v1/bookmarks/orders.begin/runs', { run_id: 'scheduled__2026-01-02T00:00:00+00:00', source: `s3://${BUCKET}/${PREFIX}` }, 'orders/begin/r1/-1', 'begin replay');
    expect(replay.result).toEqual(begun);
    const again = await runJob(bookmarks.app, '/v1/bookmarks/orders.begin/runs', { run_id: 'scheduled__2026-01-02T00:00:00+00:00', source: `s3://${BUCKET}/${PREFIX}` }, 'orders/begin/r1/-1/cleared', 'begin again');
    expect((again.result as typeof begun).batch).toEqual(begun.batch);
    const after = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(after.ETag).toBe(before.ETag);
    expect(after.LastModified).toEqual(before.LastModified);
  }, 600_000);

  it('dq and the loader take the reference in a small body, and read each of the 100,000 objects it lists once', async () => {
    const batch = pullBatch(begun);
    const run = 'scheduled__2026-01-02T00:00:00+00:00';
    // dq: the evaluation's body, admitted (ruleset, dataset, outputs), and the objects its job reads.
    const evaluation = { ruleset: 'Rules = [ RowCount > 0 ]', on_violation: 'fail', dataset: batch, format: 'csv', pipeline: 'orders', run_id: run, dt: '2026-01-01' };
    sizes.push({ what: 'dq request (100,000)', bytes: Buffer.byteLength(JSON.stringify(evaluation)) });
    const plan = planDataset(batch, '/dataset', { localRoots: [] });
    if (Array.isArray(plan)) throw new Error(JSON.stringify(plan));
    const evaluated = await datasetObjects({ s3: objects.dq, file: objects.dq, manifests: s3ManifestReader(s3) }, plan);
    expect(evaluated).toHaveLength(N);
    expect(new Set(evaluated.map((o) => `${o.location.bucket}/${o.location.key}`)).size).toBe(N);
    expect(evaluated.every((o) => o.location.bucket === BUCKET && o.location.key.startsWith(PREFIX))).toBe(true);
    // The loader: the load's body, prepared as its POST does, and the objects its job reads.
    const load = { warehouse: 'analytics', table: `${warehouse.schema}.orders`, mode: 'append', batch, format: 'csv' };
    sizes.push({ what: 'load request (100,000)', bytes: Buffer.byteLength(JSON.stringify(load)) });
    const prepared = loadInput(load as unknown as LoadBody, 'orders/load/r1/-1', new Set(['analytics']));
    expect(prepared).not.toHaveProperty('objects');
    const input = await readManifestLoad(prepared as ManifestLoad, s3ManifestReader(s3));
    expect(input.objects).toHaveLength(N);
    expect(new Set(input.objects.map((o) => `${o.bucket}/${o.key}`)).size).toBe(N);
    expect(input.objects.every((o, i) => o.bucket === BUCKET && o.key === keyOf(i) && o.size === bodyOf(keyOf(i)).length && o.etag === `e${i}`)).toBe(true);
    expect(input.format).toBe('csv');
  }, 600_000);

  it('10,000 objects: bookmark → dq → load, dq reading each object once and handing the reference on', async () => {
    const run = 'scheduled__2026-01-02T00:00:00+00:00';
    const begin = await runJob(bookmarks.app, '/v1/bookmarks/returns.begin/runs', { run_id: run, source: `s3://${BUCKET}/${CHECKED}` }, 'returns/begin/r1/-1', 'returns begin');
    expect(begin.status, JSON.stringify(begin.error)).toBe('succeeded');
    const dataset = pullBatch(begin.result as typeof begun);
    expect(dataset).toMatchObject({ manifest: expect.stringMatching(/^s3:\/\//), count: M });
    const body = { ruleset: `Rules = [ RowCount = ${M}, IsUnique "id", ColumnValues "id" >= 0 ]`, on_violation: 'fail', dataset, format: 'csv', pipeline: 'returns', run_id: run, dt: '2026-01-01' };
    const check = await runJob(dq.app, '/v1/evaluations', body, 'returns/check/r1/-1', 'dq');
    expect(check.status, JSON.stringify(check.error)).toBe('succeeded');
    expect(check.result).toMatchObject({ outcome: 'passed', rows_in: M, rows_passed: M });
    expect(objects.dqReads.size).toBe(M);
    expect([...objects.dqReads.keys()].every((key) => key.startsWith(CHECKED))).toBe(true);
    expect([...objects.dqReads.values()].every((n) => n === 1)).toBe(true);
    const evaluated = check.result as { batch: Record<string, unknown> };
    expect(evaluated.batch).toEqual(dataset);
    const load = await runJob(loader.app, '/v1/loads', { warehouse: 'analytics', table: `${warehouse.schema}.returns`, mode: 'append', batch: evaluated.batch, format: 'csv' }, 'returns/load/r1/-1', 'returns load');
    expect(load.status, JSON.stringify(load.error)).toBe('succeeded');
    expect(load.result).toMatchObject({ rows_loaded: M, objects: M });
    expect(objects.loaderCopies.size).toBe(M);
    expect([...objects.loaderCopies.values()].every((n) => n === 1)).toBe(true);
    const [row] = await warehouse.rows(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, min(id)::int AS lo, max(id)::int AS hi FROM ${warehouse.schema}.returns`);
    expect(row).toEqual({ n: M, ids: M, lo: 0, hi: M - 1 });
  }, 900_000);

  it('the commit moves the bookmark past all of them: the next run has nothing new', async () => {
    const commit = await runJob(bookmarks.app, '/v1/bookmarks/orders.begin/runs/scheduled__2026-01-02T00%3A00%3A00%2B00%3A00/commit', {}, 'orders/commit/r1/-1', 'commit');
    expect(commit.status, JSON.stringify(commit.error)).toBe('succeeded');
    const next = await runJob(bookmarks.app, '/v1/bookmarks/orders.begin/runs', { run_id: 'scheduled__2026-01-03T00:00:00+00:00', source: `s3://${BUCKET}/${PREFIX}` }, 'orders/begin/r2/-1', 'begin r2');
    expect(next.status, JSON.stringify(next.error)).toBe('succeeded');
    expect((next.result as typeof begun).batch).toEqual({ objects: [], total_bytes: 0 });
  }, 600_000);

  it('no request body and no result that crosses XCom came near the 1 MiB limit', () => {
    expect(sizes.length).toBeGreaterThanOrEqual(12);
    for (const s of sizes) expect(s.bytes, s.what).toBeLessThan(SMALL);
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!endpoint.available)('bad batch manifests get clear problems', () => {
  const bucket = `dw-badmf-${Date.now().toString(36)}`;
  const env = { DAGWRIGHT_S3_ENDPOINT: endpoint.value, AWS_REGION: 'us-east-1' };
  let s3: S3Client;
  let dq: Served;
  let loader: Served;

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID ??= 'testing';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
    s3 = new S3Client({ region: 'us-east-1', endpoint: endpoint.value, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const put = (key: string, body: string) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    await put('m/bad-line.jsonl', '{"key":"a.csv"}\nnot json\n');
    await put('m/no-key.jsonl', '{"key":"a.csv"}\n{"size":3}\n');
    await put('m/empty.jsonl', '\n');
    await put('m/two.jsonl', '{"key":"a.csv"}\n{"key":"b.csv"}\n');
    await put('m/twice.jsonl', '{"key":"a.csv"}\n{"key":"a.csv"}\n');
    dq = await serve('dq-bad', (state, metrics) => createDqService({ state, metrics, env: { ...env, DAGWRIGHT_DQ_WORK_DIR: join(dir, 'dq-bad') } }));
    loader = await serve('loader-bad', async (_state, metrics) => createLoaderService({ env, metrics, log: silent, warehouses: new Map([['default', { type: 'duckdb', path: join(dir, 'bad.duckdb') }]]), tempDir: join(dir, 'loader-bad') }));
  });

  afterAll(async () => {
    await dq?.close();
    await loader?.close();
  });

  const ref = (key: string, extra: object = {}) => ({ manifest: `s3://${bucket}/${key}`, source: `s3://${bucket}/in/`, ...extra });
  const cases = [
    ['a manifest that does not exist', ref('m/missing.jsonl'), 'Manifest.NotFound', /does not exist/],
    ['a line that is not JSON', ref('m/bad-line.jsonl'), 'Manifest.Invalid', /line 2 is not valid JSON/],
    ['a line without a key', ref('m/no-key.jsonl'), 'Manifest.Invalid', /line 2 has no key/],
    ['a manifest that lists nothing', ref('m/empty.jsonl'), 'Manifest.Invalid', /lists no objects/],
    ['a manifest that lists another number of objects than the reference says', ref('m/two.jsonl', { count: 3 }), 'Manifest.Invalid', /lists 2 objects, the reference says 3/],
    ['a manifest whose bytes are not the ones its reference hashed', ref('m/two.jsonl', { sha256: createHash('sha256').update('{"key":"a.csv"}\n').digest('hex') }), 'Manifest.Invalid', /does not match its sha256 .*: it changed since it was written/],
  ] as const;

  for (const [what, dataset, code, detail] of cases) {
    it(`dq: ${what} fails the job with ${code}`, async () => {
      const job = await runJob(dq.app, '/v1/evaluations', { ruleset: 'Rules = [ RowCount > 0 ]', dataset, format: 'csv' }, `dq/${what.replace(/ /g, '_')}`, 'dq bad');
      expect(job.status).toBe('failed');
      expect(job.error).toMatchObject({ code, status: 422, retryable: false, detail: expect.stringMatching(detail) });
    });

    it(`loader: ${what} fails the job with ${code}`, async () => {
      const job = await runJob(loader.app, '/v1/loads', { table: 'orders', mode: 'append', batch: dataset, format: 'csv' }, `load/${what.replace(/ /g, '_')}`, 'load bad');
      expect(job.status).toBe('failed');
      expect(job.error).toMatchObject({ code, status: 422, retryable: false, detail: expect.stringMatching(detail) });
    });
  }

  it('loader: an object listed twice is refused before anything is loaded', async () => {
    const job = await runJob(loader.app, '/v1/loads', { table: 'orders', mode: 'append', batch: ref('m/twice.jsonl'), format: 'csv' }, 'load/twice', 'load bad');
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'Request.Invalid', errors: [{ path: '/batch/manifest/1', message: 'appears twice in the batch' }] });
  });

  it('a manifest URI that is no s3://bucket/key, or a batch with both a manifest and objects, is refused at once (400)', async () => {
    for (const [app, path, body] of [
      [dq.app, '/v1/evaluations', { ruleset: 'Rules = [ RowCount > 0 ]', dataset: { manifest: 's3://b/' } }],
      [loader.app, '/v1/loads', { table: 'orders', mode: 'append', batch: { manifest: 'https://example.com/m.jsonl' } }],
      [dq.app, '/v1/evaluations', { ruleset: 'Rules = [ RowCount > 0 ]', dataset: { ...ref('m/two.jsonl'), objects: [{ key: 'a.csv' }] } }],
      [loader.app, '/v1/loads', { table: 'orders', mode: 'append', batch: { ...ref('m/two.jsonl'), objects: [{ key: 'a.csv' }] } }],
    ] as const) {
      const res = await request(app).post(path).set(AUTH).set('Idempotency-Key', `bad/${JSON.stringify(body).replace(/[^\x21-\x7e]/g, '_')}`.slice(0, 200)).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('Request.Invalid');
    }
  });
});
