/**
 * Shared by the S3 tests (moto): a bucket with 300 orders in three CSV files, as a
 * bookmarks batch; the body DataQualityOperator posts; and the check that every row is in
 * exactly one of passed/ and quarantine/, with no temporary object left.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'vitest';
import { partitionValue } from '../objects/locations.js';
import { S3ObjectStorage } from '../objects/s3-object-storage.js';

/** 300 orders in three CSV files; ids 1..300. Amount is missing every 7th, status is 'void' every 11th. */
export const ROWS = Array.from({ length: 300 }, (_, i) => ({ id: i + 1, amount: (i + 1) % 7 === 0 ? '' : String((i % 50) + 1), status: (i + 1) % 11 === 0 ? 'void' : 'ok' }));
export const FAILING = ROWS.filter((r) => r.amount === '' || r.status === 'void').map((r) => r.id);
export const RULESET = 'Rules = [ IsComplete "amount", ColumnValues "status" in ["ok", "late"], IsUnique "id", RowCount > 0 ]';

export interface Listed {
  key: string;
  etag: string;
  size: number;
  last_modified: string;
}
export interface Batch {
  objects: Listed[];
  total_bytes: number;
}

/** Creates the bucket and the three files (and a _SUCCESS marker); the batch a bookmark run would give. */
export async function seedBucket(s3: S3Client, bucket: string): Promise<Batch> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const objects: Listed[] = [];
  for (let part = 0; part < 3; part++) {
    const body = `${['id,amount,status', ...ROWS.slice(part * 100, part * 100 + 100).map((r) => `${r.id},${r.amount},${r.status}`)].join('\n')}\n`;
    const key = `raw/orders/dt=2026-02-01/part-${part}.csv`;
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    objects.push({ key, etag: put.ETag!.replace(/"/g, ''), size: Buffer.byteLength(body), last_modified: new Date().toISOString() });
  }
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw/orders/dt=2026-02-01/_SUCCESS', Body: '' }));
  return { objects, total_bytes: objects.reduce((n, o) => n + o.size, 0) };
}

/** Airflow run ids of 2026-02-01 (the dt= partition comes from them). */
export const runId = (hour: number) => `scheduled__2026-02-01T${String(hour).padStart(2, '0')}:00:00+00:00`;

/** What DataQualityOperator.job_body posts: the bookmarks batch as pulled from XCom. */
export const operatorBody = (batch: Batch, run: string) => ({ ruleset: RULESET, on_violation: 'quarantine', dataset: batch, pipeline: 'orders_hourly', run_id: run });

export const partition = (kind: string, run: string) => `_dagwright/dq/${kind}/pipeline=orders_hourly/dt=2026-02-01/run=${partitionValue(run)}/`;

export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

/** The ids in Parquet objects on S3 (downloaded, read with DuckDB). */
export async function idsIn(s3: S3Client, bucket: string, keys: readonly string[], scratch: string): Promise<number[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const ids: number[] = [];
  try {
    for (const [i, key] of keys.entries()) {
      const file = join(scratch, `read-${randomBytes(4).toString('hex')}-${i}.parquet`);
      await new S3ObjectStorage(s3).download({ bucket, key }, file);
      const rows = (await conn.runAndReadAll(`SELECT id FROM read_parquet('${file}')`)).getRowObjectsJS();
      ids.push(...rows.map((r) => Number(r['id'])));
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return ids.sort((a, b) => a - b);
}

/** Every row in exactly one of the run's passed/ and quarantine/ partitions; no temporary object left. */
export async function expectExactlyOnce(s3: S3Client, bucket: string, run: string, result: Record<string, unknown>, scratch: string): Promise<void> {
  expect(result).toMatchObject({ rows_in: 300, rows_passed: 300 - FAILING.length, rows_quarantined: FAILING.length });
  const passedKeys = await listKeys(s3, bucket, partition('passed', run));
  const quarantineKeys = await listKeys(s3, bucket, partition('quarantine', run));
  expect(passedKeys).toEqual([`${partition('passed', run)}_manifest.json`, `${partition('passed', run)}part-00000.parquet`]);
  expect(quarantineKeys).toEqual([`${partition('quarantine', run)}_manifest.json`, `${partition('quarantine', run)}part-00000.parquet`]);
  const passed = await idsIn(s3, bucket, passedKeys.filter((k) => k.endsWith('.parquet')), scratch);
  const failed = await idsIn(s3, bucket, quarantineKeys.filter((k) => k.endsWith('.parquet')), scratch);
  expect(failed).toEqual(FAILING);
  expect([...passed, ...failed].sort((a, b) => a - b)).toEqual(ROWS.map((r) => r.id)); // every row once
  expect(await listKeys(s3, bucket, '_dagwright/dq/_tmp/')).toEqual([]);
  const batchOut = result['batch'] as { objects: { bucket: string; key: string; size: number }[] };
  expect(batchOut.objects).toMatchObject([{ bucket, key: `${partition('passed', run)}part-00000.parquet` }]);
}
