import type { Readable, Writable } from 'node:stream';
import type { Secret } from '../../config/secret.js';

/** A PostgreSQL warehouse, as configured (env or secrets file). */
export interface PostgresConfig {
  readonly type: 'postgres';
  /** `postgres://user:password@host:port/db`. */
  readonly url: Secret;
  /** Schema of tables named without one; `public` by default. */
  readonly schema?: string;
  /** The load ledger, `schema.table`; `public.dagwright_load_ledger` by default. */
  readonly ledger?: string;
  readonly max_connections?: number;
  readonly connect_timeout_ms?: number;
  /** Session settings for load connections (`work_mem`, `temp_buffers`, …). */
  readonly session?: Readonly<Record<string, string>>;
}

/**
 * The slice of `pg` the PostgreSQL parts use. Declaring only this keeps the
 * driver library replaceable, and lets tests pass fakes.
 */
export interface PgQueryResult {
  readonly rows: Array<Record<string, unknown>>;
  readonly rowCount: number | null;
}

export interface PgClientLike {
  query(sql: string): Promise<PgQueryResult>;
  /** A `pg-copy-streams` `from()` submittable: returns the stream to write COPY data into. */
  query<T extends Writable>(submittable: T): T;
  release(destroy?: boolean | Error): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export interface PgPoolLike {
  connect(): Promise<PgClientLike>;
  query(sql: string): Promise<PgQueryResult>;
  end(): Promise<void>;
}

/** `pg-copy-streams`' `from`. */
export type CopyFrom = (sql: string) => Writable & { readonly rowCount?: number };

export type { Readable };
