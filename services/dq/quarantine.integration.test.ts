/**
 * Quarantine on S3 (moto server; DAGWRIGHT_S3_ENDPOINT, see scripts/moto.sh): the body the
 * DataQualityOperator sends (a bookmarks batch of keys), passed and failed rows read back
 * from S3, and a job that crashes at each step of writing, retried with the same key:
 * no row is lost or duplicated, and no temporary object is left. (kill-mid-write.integration.test.ts
 * does the same with a real process killed by SIGKILL.)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Endpoint } from '../kit/testing/env.js';
import type { PublishFaults } from './objects/publish.js';
import { AUTH, startTestApp, type TestApp } from './testing/dq-app.js';
import { FAILING, expectExactlyOnce as exactlyOnce, operatorBody as body, partition, runId, seedBucket, type Batch } from './testing/s3-fixture.js';

const endpoint = s3Endpoint();
process.env['AWS_ACCESS_KEY_ID'] ??= 'testing';
process.env['AWS_SECRET_ACCESS_KEY'] ??= 'testing';
process.env['AWS_REGION'] ??= 'us-east-1';

const bucket = `dq-${randomBytes(5).toString('hex')}`;
const s3 = new S3Client({ region: 'us-east-1', endpoint: endpoint.value, forcePathStyle: true });
const scratch = mkdtempSync(join(tmpdir(), 'dw-dq-moto-'));
let batch: Batch;

beforeAll(async () => {
  if (endpoint.available) batch = await seedBucket(s3, bucket);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const env = () => ({ DAGWRIGHT_S3_ENDPOINT: endpoint.value, DAGWRIGHT_DQ_DEFAULT_BUCKET: bucket, AWS_REGION: 'us-east-1' });
const operatorBody = (run: string) => body(batch, run);
const expectExactlyOnce = (run: string, result: Record<string, unknown>) => exactlyOnce(s3, bucket, run, result, scratch);

describe.skipIf(!endpoint.available)('quarantine on S3 (moto)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(env());
  });
  afterAll(async () => t?.close());

  it('the operator’s body: failing rows with their failed rules to quarantine/, the rest to passed/', async () => {
    const { job } = await t.evaluate(operatorBody(runId(0)), `orders_hourly/quality/${runId(0)}/-1`);
    expect(job?.status, JSON.stringify(job?.error)).toBe('succeeded');
    await expectExactlyOnce(runId(0), job!.result as Record<string, unknown>);
    const manifest = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${partition('quarantine', runId(0))}_manifest.json` }));
    const m = JSON.parse(await manifest.Body!.transformToString()) as { rows_quarantined: number; failed_rules: { rule: string }[] };
    expect(m.rows_quarantined).toBe(FAILING.length);
    expect(m.failed_rules.map((r) => r.rule)).toEqual(['IsComplete "amount"', 'ColumnValues "status" in ["ok","late"]']);
  });

  it('a prefix as the dataset (marker files skipped)', async () => {
    const { job } = await t.evaluate({ ...operatorBody(runId(1)), dataset: `s3://${bucket}/raw/orders/` });
    expect(job?.status).toBe('succeeded');
    await expectExactlyOnce(runId(1), job!.result as Record<string, unknown>);
  });

  it('warn: the input batch goes on, with the source its keys were read from', async () => {
    const { job } = await t.evaluate({ ...operatorBody(runId(3)), on_violation: 'warn' });
    expect(job?.result).toMatchObject({ outcome: 'failed', rows_in: 300, rows_quarantined: 0, batch: { source: `s3://${bucket}/`, objects: batch.objects } });
  });

  it('an object that is gone: Resource.NotFound', async () => {
    const { job } = await t.evaluate({ ...operatorBody(runId(2)), dataset: { objects: [{ key: 'raw/nope.csv' }] } });
    expect(job).toMatchObject({ status: 'failed', error: { code: 'Resource.NotFound' } });
  });
});

/** Crash points: [name, the fault]. Each crashes once, on the first attempt. */
const CRASHES: ReadonlyArray<readonly [string, (crash: () => void) => PublishFaults]> = [
  ['after uploading the quarantine file to the temporary prefix', (crash) => ({ afterUpload: (f) => (f.file.endsWith('failed.parquet') ? crash() : undefined) })],
  ['after copying the quarantine file to its partition', (crash) => ({ afterCopy: (f) => (f.file.endsWith('failed.parquet') ? crash() : undefined) })],
  ['after uploading the passed rows', (crash) => ({ afterUpload: (f) => (f.file.endsWith('passed.parquet') ? crash() : undefined) })],
  ['after copying the passed rows, before their manifest', (crash) => ({ afterCopy: (f) => (f.file.endsWith('passed.parquet') ? crash() : undefined) })],
];

describe.skipIf(!endpoint.available)('a crash mid-write, then a retry with the same key (moto)', () => {
  it.each(CRASHES.map(([name, faults], i) => [name, faults, i] as const))('%s', async (_name, faults, i) => {
    let crashed = false;
    const crash = () => {
      if (!crashed) {
        crashed = true;
        throw new Error('crash (test fault)');
      }
    };
    const t = await startTestApp(env(), { faults: faults(crash) });
    try {
      const run = runId(10 + i);
      // An earlier, larger attempt left a stale file in the partition: it must not survive.
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${partition('passed', run)}part-00007.parquet`, Body: 'stale' }));
      const key = `orders_hourly/quality/${run}/-1`;
      const first = await t.evaluate(operatorBody(run), key);
      expect(first.job).toMatchObject({ status: 'failed', attempt: 1, error: { code: 'Internal', retryable: true } });
      const second = await t.evaluate(operatorBody(run), key);
      expect(second.job).toMatchObject({ status: 'succeeded', attempt: 2 });
      await expectExactlyOnce(run, second.job!.result as Record<string, unknown>);
      const runs = await request(t.app).get('/v1/evaluations').query({ pipeline: 'orders_hourly', run_id: run }).set(AUTH);
      expect(runs.body.evaluations).toMatchObject([{ attempt: 2, rows_quarantined: FAILING.length }]);
    } finally {
      await t.close();
    }
  });
});
