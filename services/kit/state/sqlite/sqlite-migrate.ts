import type Database from 'better-sqlite3';
import { MIGRATIONS_TABLE, MIGRATIONS_TABLE_DDL, pendingMigrations, type Migration } from '../migrations.js';
import { withSqliteTransaction } from './sqlite-transaction.js';

/** A SQLite migration step: synchronous, like better-sqlite3. */
export type SqliteMigration = Migration<(db: Database.Database) => void>;

/**
 * Applies the migrations of `component` the database lacks, in order, in one IMMEDIATE
 * transaction: all of them or none. Returns the versions applied.
 */
export function migrateSqlite(db: Database.Database, component: string, migrations: readonly SqliteMigration[]): number[] {
  return withSqliteTransaction(db, 'immediate', () => {
    db.exec(MIGRATIONS_TABLE_DDL);
    const pending = pendingMigrations(component, migrations, sqliteSchemaVersions(db, component));
    const record = db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (component, version, name, applied_at) VALUES (?, ?, ?, ?)`);
    for (const m of pending) {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      record.run(component, m.version, m.name, new Date().toISOString());
    }
    return pending.map((m) => m.version);
  });
}

/** The versions of `component` recorded in the database, ascending; none before the first migration. */
export function sqliteSchemaVersions(db: Database.Database, component: string): number[] {
  const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(MIGRATIONS_TABLE);
  if (table === undefined) return [];
  return db.prepare(`SELECT version FROM ${MIGRATIONS_TABLE} WHERE component = ? ORDER BY version`).pluck().all(component) as number[];
}
