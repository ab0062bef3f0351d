/**
 * One DuckDB database per evaluation: the primary dataset as `"primary"` and each
 * reference dataset under its alias. CSV and JSON lines are read once into tables; Parquet
 * is scanned in place. Then the database is locked down: no file access outside the
 * inputs and the working directory, and no configuration changes, so user SQL (where
 * clauses, CustomSql) can only read the datasets.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { SqlParser } from '../sql/guard.js';
import { ident, str } from '../sql/quote.js';
import type { DataInput, EvalError } from '../types.js';
import { loadInput, type Column } from './load.js';
import { binderOn, type SqlBinder } from './sql-binder.js';

export type { Column };

export interface SessionOptions {
  readonly primary: DataInput;
  readonly references?: Readonly<Record<string, DataInput>>;
  /** A private directory: spill files and outputs go here. */
  readonly workDir: string;
  /** Further directories DuckDB may write to (row-level outputs). */
  readonly writeDirs?: readonly string[];
  readonly threads?: number;
  /** DuckDB `memory_limit`, e.g. `2GB`. */
  readonly memoryLimit?: string;
  /** DuckDB `max_temp_directory_size`: the most its spill files may hold, e.g. `10GiB`. */
  readonly spillLimit?: string;
}

export type Row = Record<string, unknown>;

export class Session implements SqlBinder {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    readonly columns: readonly Column[],
    readonly references: ReadonlyMap<string, readonly Column[]>,
  ) {
    this.binder = binderOn(conn);
  }

  private readonly binder: SqlBinder;

  static async open(options: SessionOptions): Promise<Session | EvalError[]> {
    const instance = await DuckDBInstance.create(':memory:', {
      ...(options.threads !== undefined ? { threads: String(options.threads) } : {}),
      ...(options.memoryLimit !== undefined ? { memory_limit: options.memoryLimit } : {}),
    });
    const conn = await instance.connect();
    const errors: EvalError[] = [];
    try {
      const tmp = path.join(options.workDir, 'duckdb-tmp');
      mkdirSync(tmp, { recursive: true });
      await conn.run(`SET temp_directory = ${str(tmp)}`);
      if (options.spillLimit !== undefined) await conn.run(`SET max_temp_directory_size = ${str(options.spillLimit)}`);
      // Glue's Spark session runs in UTC: dates of timestamps are UTC dates on any machine.
      await conn.run(`SET TimeZone = 'UTC'`);
      // Spark's `/` and `%` (non-ANSI, as Glue runs) give NULL for a zero divisor, where
      // DuckDB's IEEE division gives ±Infinity or NaN: where clauses and CustomSql read as Spark.
      await conn.run('SET ieee_floating_point_ops = false');
      const primary = await loadInput(conn, 'primary', options.primary);
      if ('errors' in primary) errors.push(...primary.errors);
      const references = new Map<string, readonly Column[]>();
      const files = [...options.primary.files];
      for (const [alias, input] of Object.entries(options.references ?? {})) {
        const loaded = await loadInput(conn, alias, input);
        if ('errors' in loaded) errors.push(...loaded.errors);
        else references.set(alias, loaded.columns);
        files.push(...input.files);
      }
      if (errors.length > 0 || 'errors' in primary) {
        conn.closeSync();
        return errors;
      }
      const dirs = [options.workDir, ...(options.writeDirs ?? [])].map((d) => str(path.resolve(d) + path.sep));
      await conn.run(`SET allowed_directories = [${dirs.join(', ')}]`);
      await conn.run(`SET allowed_paths = [${files.map((f) => str(path.resolve(f))).join(', ')}]`);
      await conn.run('SET enable_external_access = false');
      await conn.run('SET lock_configuration = true');
      return new Session(instance, conn, primary.columns, references);
    } catch (err) {
      conn.closeSync();
      throw err;
    }
  }

  /** All rows of a statement, values as JavaScript (BIGINT as bigint, DOUBLE as number). */
  async rows(sql: string, params?: readonly string[]): Promise<Row[]> {
    const reader = await this.conn.runAndReadAll(sql, params === undefined ? undefined : [...params]);
    return reader.getRowObjectsJS() as Row[];
  }

  async run(sql: string): Promise<void> {
    await this.conn.run(sql);
  }

  /** The error DuckDB gives when binding `sql` (nothing is executed), or undefined. */
  bindError(sql: string): Promise<string | undefined> {
    return this.binder.bindError(sql);
  }

  /** DuckDB's parse tree of a SELECT (`json_serialize_sql`); the text is bound as a parameter. */
  readonly parse: SqlParser = (sql) => this.binder.parse(sql);

  /** The relation name of a dataset: `"primary"` or a reference alias. */
  static relation(alias: string): string {
    return ident(alias);
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
