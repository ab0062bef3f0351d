import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Problem } from '../../kit/errors/problem.js';
import { declaredColumn, duckdbFamily } from '../domain/families.js';
import type { BatchColumn, BatchObject } from '../domain/types.js';
import type { ObjectSource } from '../objects/object-source.js';

const MAGIC = Buffer.from('PAR1');

/**
 * Parquet through an embedded, in-memory DuckDB: the schema from the footer
 * alone (two ranged reads, no download), and a file as CSV for targets that
 * take CSV (PostgreSQL's COPY).
 */
export class ParquetTools {
  private instance: Promise<DuckDBInstance> | undefined;

  constructor(private readonly tempDir: string) {}

  /** The columns and types of a Parquet object, read from its footer. */
  async schema(store: ObjectSource, object: BatchObject, signal?: AbortSignal): Promise<BatchColumn[]> {
    const where = `s3://${object.bucket}/${object.key}`;
    const size = await store.size(object, signal);
    const bad = (why: string) => new Problem('DataError', { detail: `${where} is not a valid Parquet file: ${why}`, errors: [{ path: '/batch', message: `${where}: ${why}` }] });
    if (size < 12) throw bad('too small');
    const tail = await readAll(await store.open(object, { range: [size - 8, size - 1], ...(signal ? { signal } : {}) }));
    if (tail.length !== 8 || !tail.subarray(4).equals(MAGIC)) throw bad('no PAR1 footer');
    const footerLength = tail.readUInt32LE(0);
    if (footerLength <= 0 || footerLength > size - 12) throw bad('footer length out of range');
    const footer = await readAll(await store.open(object, { range: [size - 8 - footerLength, size - 1], ...(signal ? { signal } : {}) }));
    // A sparse file of the object's size with only the magic and the footer: enough for DuckDB's metadata reader.
    const path = join(this.tempDir, `footer-${randomBytes(6).toString('hex')}.parquet`);
    const file = await open(path, 'w');
    try {
      await file.write(MAGIC, 0, 4, 0);
      await file.write(footer, 0, footer.length, size - 8 - footerLength);
      await file.truncate(size);
      await file.close();
      const rows = await this.rows(`DESCRIBE SELECT * FROM read_parquet(${sqlString(path)})`);
      return rows.map((r) => declaredColumn(String(r.column_name), duckdbFamily(String(r.column_type)), `parquet ${String(r.column_type)}`));
    } catch (err) {
      if (err instanceof Problem) throw err;
      throw bad(firstLine(err));
    } finally {
      await file.close().catch(() => undefined);
      await rm(path, { force: true });
    }
  }

  /**
   * Writes the Parquet file at `path` as headerless CSV to `out` (which may be
   * a FIFO a COPY reads from): the named columns in that order, nested values
   * (structs, lists, maps) as JSON.
   */
  async toCsv(path: string, columns: readonly string[], out: string): Promise<void> {
    const file = sqlString(path);
    await this.withConnection(async (c) => {
      const described = (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${file})`)).getRowObjects();
      const types = new Map(described.map((r) => [String(r.column_name), String(r.column_type)]));
      const select = columns
        .map((name) => (/^(STRUCT|MAP|UNION)|\[\d*\]$/.test(types.get(name) ?? '') ? `to_json(${ident(name)})::VARCHAR AS ${ident(name)}` : ident(name)))
        .join(', ');
      await c.run(`COPY (SELECT ${select} FROM read_parquet(${file})) TO ${sqlString(out)} (FORMAT csv, HEADER false, USE_TMP_FILE false)`);
    });
  }

  async close(): Promise<void> {
    const pending = this.instance;
    this.instance = undefined;
    if (pending) (await pending.catch(() => undefined))?.closeSync();
  }

  /** One connection per call: a long conversion never blocks a footer read of another job. */
  private async withConnection<T>(use: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    this.instance ??= DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '256MB', temp_directory: this.tempDir });
    const connection = await (await this.instance).connect();
    try {
      return await use(connection);
    } finally {
      connection.closeSync();
    }
  }

  private rows(sql: string): Promise<Record<string, unknown>[]> {
    return this.withConnection(async (c) => (await c.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[]);
  }

  private run(sql: string): Promise<void> {
    return this.withConnection(async (c) => void (await c.run(sql)));
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unreadable';
}
