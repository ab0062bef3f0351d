/**
 * DuckDB's parser and binder, asked about SQL without running it: `json_serialize_sql` for
 * the guard's parse trees, `prepare` for whether a statement binds (a regular expression
 * RE2 cannot compile fails here). On an evaluation's connection (`Session`), or on a
 * database of its own with no data (`openSqlBinder`, for the checks made without data);
 * DuckDB is loaded only when one is opened.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ParsedSql, SqlParser } from '../sql/guard.js';

export interface SqlBinder {
  readonly parse: SqlParser;
  /** The error DuckDB gives when binding `sql` (nothing is executed), or undefined. */
  bindError(sql: string): Promise<string | undefined>;
}

export function binderOn(conn: DuckDBConnection): SqlBinder {
  return {
    parse: async (sql) => {
      const reader = await conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS j', [sql]);
      return JSON.parse(String(reader.getRowObjectsJS()[0]?.['j'] ?? '{"error":true}')) as ParsedSql;
    },
    bindError: async (sql) => {
      try {
        await conn.prepare(sql);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  };
}

/** A binder on an empty in-memory database of its own; `close` it when done. */
export async function openSqlBinder(): Promise<SqlBinder & { close(): void }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  return {
    ...binderOn(conn),
    close: () => {
      conn.closeSync();
      db.closeSync();
    },
  };
}
