/**
 * Quarantine on S3 (moto server; DAGWRIGHT_S3_ENDPOINT, see scripts/moto.sh): the body the
 * DataQualityOperator sends (a bookmarks batch of keys), passed and failed rows read back
 * from S3, and a job that crashes at each step of writing, retried with the same key:
 * no row is lost or duplicated, and no temporary object is left.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Endpoint } from '../kit/testing/env.js';
import { partitionValue } from './storage/locations.js';
import { S3Storage } from './storage/s3-storage.js';
import type { PublishFaults } from './storage/publish.js';
import { AUTH, startTestApp, type TestApp } from './testing.js';

const endpoint = s3Endpoint();
process.env['AWS_ACCESS_KEY_ID'] ??= 'testing';
process.env['AWS_SECRET_ACCESS_KEY'] ??= 'testing';
process.env['AWS_REGION'] ??= 'us-east-1';

const bucket = `dq-${randomBytes(5).toString('hex')}`;
const s3 = new S3Client({ region: 'us-east-1', endpoint: endpoint.value, forcePathStyle: true });
const scratch = mkdtempSync(join(tmpdir(), 'dw-dq-moto-'));

/** 300 orders in three CSV files; ids 1..300. Amount is missing every 7th, status is 'void' every 11th. */
const ROWS = Array.from({ length: 300 }, (_, i) => ({ id: i + 1, amount: (i + 1) % 7 === 0 ? '' : String((i % 50) + 1), status: (i + 1) % 11 === 0 ? 'void' : 'ok' }));
const FAILING = ROWS.filter((r) => r.amount === '' || r.status === 'void').map((r) => r.id);
const RULESET = 'Rules = [ IsComplete "amount", ColumnValues "status" in ["ok", "late"], IsUnique "id", RowCount > 0 ]';

interface Listed {
  key: string;
  etag: string;
  size: number;
  last_modified: string;
}
let batch: { objects: Listed[]; total_bytes: number };

async function list(prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

/** The ids in Parquet objects on S3 (downloaded, read with DuckDB). */
async function idsIn(keys: readonly string[]): Promise<number[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const ids: number[] = [];
  try {
    for (const [i, key] of keys.entries()) {
      const file = join(scratch, `read-${randomBytes(4).toString('hex')}-${i}.parquet`);
      await new S3Storage(s3).download({ bucket, key }, file);
      const rows = (await conn.runAndReadAll(`SELECT id FROM read_parquet('${file}')`)).getRowObjectsJS();
      ids.push(...rows.map((r) => Number(r['id'])));
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return ids.sort((a, b) => a - b);
}

beforeAll(async () => {
  if (!endpoint.available) return;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const objects: Listed[] = [];
  for (let part = 0; part < 3; part++) {
    const lines = ['id,amount,status', ...ROWS.slice(part * 100, part * 100 + 100).map((r) => `${r.id},${r.amount},${r.status}`)];
    const key = `raw/orders/dt=2026-02-01/part-${part}.csv`;
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${lines.join('\n')}\n` }));
    objects.push({ key, etag: put.ETag!.replace(/"/g, ''), size: Buffer.byteLength(`${lines.join('\n')}\n`), last_modified: new Date().toISOString() });
  }
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw/orders/dt=2026-02-01/_SUCCESS', Body: '' }));
  batch = { objects, total_bytes: objects.reduce((n, o) => n + o.size, 0) };
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const env = () => ({ DAGWRIGHT_S3_ENDPOINT: endpoint.value, DAGWRIGHT_DQ_DEFAULT_BUCKET: bucket, AWS_REGION: 'us-east-1' });

/** What DataQualityOperator.job_body posts: the bookmarks batch as pulled from XCom. */
const operatorBody = (run: string) => ({ ruleset: RULESET, on_violation: 'quarantine', dataset: batch, pipeline: 'orders_hourly', run_id: run });

const partition = (kind: string, run: string) => `_dagwright/dq/${kind}/pipeline=orders_hourly/dt=2026-02-01/run=${partitionValue(run)}/`;
/** Airflow run ids of 2026-02-01 (the dt= partition comes from them). */
const runId = (hour: number) => `scheduled__2026-02-01T${String(hour).padStart(2, '0')}:00:00+00:00`;

async function expectExactlyOnce(run: string, result: Record<string, unknown>): Promise<void> {
  expect(result).toMatchObject({ rows_in: 300, rows_passed: 300 - FAILING.length, rows_quarantined: FAILING.length });
  const passedKeys = await list(partition('passed', run));
  const quarantineKeys = await list(partition('quarantine', run));
  expect(passedKeys).toEqual([`${partition('passed', run)}_manifest.json`, `${partition('passed', run)}part-00000.parquet`]);
  expect(quarantineKeys).toEqual([`${partition('quarantine', run)}_manifest.json`, `${partition('quarantine', run)}part-00000.parquet`]);
  const passed = await idsIn(passedKeys.filter((k) => k.endsWith('.parquet')));
  const failed = await idsIn(quarantineKeys.filter((k) => k.endsWith('.parquet')));
  expect(failed).toEqual(FAILING);
  expect([...passed, ...failed].sort((a, b) => a - b)).toEqual(ROWS.map((r) => r.id)); // every row once
  expect(await list('_dagwright/dq/_tmp/')).toEqual([]);
  const batchOut = result['batch'] as { objects: { bucket: string; key: string; size: number }[]; source: string };
  expect(batchOut.objects).toMatchObject([{ bucket, key: `${partition('passed', run)}part-00000.parquet` }]);
}

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
