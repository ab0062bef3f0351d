import type pg from 'pg';
import { Problem } from '../../kit/errors/problem.js';
import type { KeyValue } from '../domain/types.js';
import type { TableReader } from './table-source.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_$]*$/;

function quote(identifier: string): string {
  if (!IDENT.test(identifier)) throw new Problem('InvalidIdentifier', { detail: `${JSON.stringify(identifier)} is not a plain identifier` });
  return `"${identifier}"`;
}

/** Reads a PostgreSQL (or Redshift) table's largest key tuple. */
export class PostgresTableReader implements TableReader {
  constructor(private readonly pool: pg.Pool) {}

  async maxKey(table: string, keys: readonly string[]): Promise<KeyValue[] | null> {
    const qualified = table.split('.').map(quote).join('.');
    const cols = keys.map(quote);
    const sql = `SELECT ${cols.join(', ')} FROM ${qualified} ORDER BY ${cols.map((c) => `${c} DESC`).join(', ')} LIMIT 1`;
    try {
      const res = await this.pool.query({ text: sql, rowMode: 'array' });
      const row = res.rows[0] as unknown[] | undefined;
      return row ? row.map(toKeyValue) : null;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '42P01') throw new Problem('TableNotFound', { detail: `table ${table} does not exist`, cause: err });
      if (code === '42703') throw new Problem('Request.Invalid', { detail: `a key column of ${table} does not exist`, errors: [{ path: '/keys', message: 'names a column the table lacks' }], cause: err });
      throw new Problem('Service.DependencyUnavailable', { detail: `reading ${table} failed`, cause: err });
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }
}

function toKeyValue(v: unknown): KeyValue {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  // bigint and numeric columns arrive as strings; keep integers as numbers when exact.
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) return Number(v);
  return String(v);
}
