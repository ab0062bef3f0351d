import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { s3Endpoint } from '../../kit/testing/env.js';

export interface PutObject {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
}

/** A fresh bucket on the moto server of `DAGWRIGHT_S3_ENDPOINT` (CI=true and no endpoint: the test fails). */
export class S3Fixture {
  readonly client: S3Client;
  readonly bucket = `dw-loader-${randomBytes(5).toString('hex')}`;

  private constructor(readonly endpoint: string) {
    this.client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  }

  static requirement = s3Endpoint;

  static async create(endpoint: string): Promise<S3Fixture> {
    const f = new S3Fixture(endpoint);
    await f.client.send(new CreateBucketCommand({ Bucket: f.bucket }));
    return f;
  }

  async put(key: string, body: string | Buffer): Promise<PutObject> {
    const out = await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
    return { key, size: Buffer.byteLength(body), etag: (out.ETag ?? '').replaceAll('"', '') };
  }

  putGzip(key: string, text: string): Promise<PutObject> {
    return this.put(key, gzipSync(text));
  }

  /** A Parquet object made by DuckDB from a SELECT (e.g. over VALUES). */
  async putParquet(key: string, select: string): Promise<PutObject> {
    return this.put(key, await parquetBytes(select));
  }

  uri(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }
}

export async function parquetBytes(select: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'dw-pq-'));
  const path = join(dir, 'x.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
    return readFileSync(path);
  } finally {
    c.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CSV text from a header and rows (values are written as given; `null` → empty field). */
export function csv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const cell = (v: string | number | null) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  return [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

export function jsonl(rows: ReadonlyArray<Record<string, unknown>>): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
