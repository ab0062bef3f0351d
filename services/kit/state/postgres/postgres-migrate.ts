import type pg from 'pg';
import { MIGRATION_LOCK, MIGRATIONS_TABLE, MIGRATIONS_TABLE_DDL, pendingMigrations, type Migration } from '../migrations.js';
import { withPgTransaction } from './postgres-transaction.js';

/** A PostgreSQL migration step, on the migrating transaction's client. */
export type PostgresMigration = Migration<(client: pg.PoolClient) => Promise<void>>;

/**
 * Applies the migrations of `component` the database (its current schema) lacks, in order,
 * in one transaction under the migration advisory lock: replicas starting together apply
 * each version once, and a failure applies none. Returns the versions applied.
 */
export async function migratePostgres(pool: pg.Pool, component: string, migrations: readonly PostgresMigration[]): Promise<number[]> {
  return withPgTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(MIGRATIONS_TABLE_DDL);
    const pending = pendingMigrations(component, migrations, await postgresSchemaVersions(client, component));
    for (const m of pending) {
      if (typeof m.up === 'string') await client.query(m.up);
      else await m.up(client);
      await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (component, version, name, applied_at) VALUES ($1, $2, $3, $4)`, [
        component,
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
    }
    return pending.map((m) => m.version);
  });
}

/** The versions of `component` recorded in the current schema, ascending; none before the first migration. */
export async function postgresSchemaVersions(db: Pick<pg.PoolClient, 'query'>, component: string): Promise<number[]> {
  const table = await db.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [MIGRATIONS_TABLE]);
  if (!table.rows[0]?.present) return [];
  const res = await db.query<{ version: number }>(`SELECT version FROM ${MIGRATIONS_TABLE} WHERE component = $1 ORDER BY version`, [component]);
  return res.rows.map((r) => r.version);
}
