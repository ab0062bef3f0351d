import type { Driver, Row, Transaction } from '../target.js';
import type { PgClientLike, PgPoolLike } from './postgres-config.js';

/** A transaction on one pooled client; the stager reaches the client for COPY. */
export interface PostgresTransaction extends Transaction {
  readonly client: PgClientLike;
  query(sql: string): Promise<Row[]>;
}

/**
 * Connections and transactions over a `pg` pool (PostgreSQL, and Redshift
 * through its PostgreSQL wire protocol). A transaction is BEGIN … COMMIT on
 * one client; on any error, or an abort, the client is destroyed rather than
 * returned, so a broken session never serves another load. The server rolls
 * back whatever the dead session had not committed.
 */
export class PostgresDriver implements Driver<PostgresTransaction> {
  readonly interactive = true;
  /** `server_version_num`, known after the first connection. */
  serverVersionNum: number | undefined;

  constructor(
    private readonly pool: PgPoolLike,
    private readonly options: { readonly detectVersion?: boolean } = {},
  ) {}

  async query(sql: string): Promise<Row[]> {
    await this.detect();
    return (await this.pool.query(sql)).rows;
  }

  async run(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(work: (tx: PostgresTransaction) => Promise<T>, options: { readonly signal: AbortSignal }): Promise<T> {
    await this.detect();
    const client = await this.pool.connect();
    guard(client);
    let released = false;
    const release = (destroy: boolean) => {
      if (released) return;
      released = true;
      client.release(destroy);
    };
    const onAbort = () => release(true);
    options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await client.query('BEGIN');
      const tx: PostgresTransaction = {
        client,
        execute: async (sql) => void (await client.query(sql)),
        query: async (sql) => (await client.query(sql)).rows,
      };
      const result = await work(tx);
      options.signal.throwIfAborted();
      await client.query('COMMIT');
      release(false);
      return result;
    } catch (err) {
      // No ROLLBACK round trip on a session in an unknown state: destroying it rolls back.
      release(true);
      throw err;
    } finally {
      options.signal.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async detect(): Promise<void> {
    if (this.serverVersionNum !== undefined || this.options.detectVersion === false) return;
    const rows = (await this.pool.query('SHOW server_version_num')).rows;
    this.serverVersionNum = Number(rows[0]?.server_version_num ?? 0);
  }
}

const guarded = new WeakSet<PgClientLike>();

/**
 * A checked-out client has no error listener of the pool's, and a socket
 * error after the server went away (EPIPE from a COPY still flushing) would
 * crash the process. The error reaches the load through the failing query;
 * this listener only keeps it from being thrown a second time.
 */
function guard(client: PgClientLike): void {
  if (guarded.has(client)) return;
  guarded.add(client);
  client.on('error', () => undefined);
}
