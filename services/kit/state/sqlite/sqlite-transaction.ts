import type Database from 'better-sqlite3';

/**
 * `deferred` takes the write lock at the first write; `immediate` takes it at BEGIN, so what
 * the transaction reads cannot change before it writes.
 */
export type SqliteTransactionMode = 'deferred' | 'immediate';

/** Runs `fn` in one transaction (better-sqlite3's): committed when it returns, rolled back when it throws. */
export function withSqliteTransaction<R>(db: Database.Database, mode: SqliteTransactionMode, fn: () => R): R {
  return db.transaction(fn)[mode]();
}
