import type { Driver, Row, Transaction } from '../target.js';
import type { DuckdbConnectionLike, DuckdbInstanceLike } from './duckdb-config.js';

export interface DuckdbTransaction extends Transaction {
  query(sql: string): Promise<Row[]>;
  /** Runs one statement; returns the rows it inserted, updated or deleted. */
  changed(sql: string): Promise<number>;
}

/**
 * An embedded DuckDB file: one instance per process, a fresh connection per
 * transaction (temporary tables vanish with it). DuckDB has one writer, so
 * loads into one file run one at a time, in order of arrival.
 */
export class DuckdbDriver implements Driver<DuckdbTransaction> {
  readonly interactive = true;
  private instance: Promise<DuckdbInstanceLike> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly open: () => Promise<DuckdbInstanceLike>) {}

  async query(sql: string): Promise<Row[]> {
    return this.withConnection(async (c) => rows(await c.runAndReadAll(sql)));
  }

  async run(sql: string): Promise<void> {
    await this.withConnection((c) => c.run(sql));
  }

  transaction<T>(work: (tx: DuckdbTransaction) => Promise<T>, options: { readonly signal: AbortSignal }): Promise<T> {
    const turn = this.queue.then(() =>
      this.withConnection(async (c) => {
        options.signal.throwIfAborted();
        const onAbort = () => c.interrupt();
        options.signal.addEventListener('abort', onAbort, { once: true });
        await c.run('BEGIN TRANSACTION');
        try {
          const result = await work({
            execute: async (sql) => void (await c.run(sql)),
            query: async (sql) => rows(await c.runAndReadAll(sql)),
            changed: async (sql) => (await c.run(sql)).rowsChanged,
          });
          options.signal.throwIfAborted();
          await c.run('COMMIT');
          return result;
        } catch (err) {
          await c.run('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          options.signal.removeEventListener('abort', onAbort);
        }
      }),
    );
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  async close(): Promise<void> {
    const pending = this.instance;
    this.instance = undefined;
    if (pending) (await pending.catch(() => undefined))?.closeSync();
  }

  private async withConnection<T>(use: (c: DuckdbConnectionLike) => Promise<T>): Promise<T> {
    this.instance ??= this.open();
    this.instance.catch(() => (this.instance = undefined));
    const connection = await (await this.instance).connect();
    try {
      return await use(connection);
    } finally {
      connection.closeSync();
    }
  }
}

function rows(reader: { getRowObjects(): ReadonlyArray<Record<string, unknown>> }): Row[] {
  return reader.getRowObjects().map((r) => ({ ...r }));
}
