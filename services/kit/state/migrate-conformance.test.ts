/**
 * The migration runner on every state backend (SQLite and PostgreSQL, from DAGWRIGHT_PG_URL):
 * numbered steps applied once and in order, one transaction for a run, replicas that start
 * together, and a database newer than the code refused.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { schemaVersions, testBackends } from '../testing/backends.js';
import { openState, type StateBackend } from './open-state.js';
import { migratePostgres } from './postgres/postgres-migrate.js';
import { migrateSqlite } from './sqlite/sqlite-migrate.js';

const backends = testBackends({ dir: mkdtempSync(join(tmpdir(), 'dw-migrate-')) });

interface SqlMigration {
  version: number;
  name: string;
  up: string;
}

async function migrate(state: StateBackend, component: string, migrations: readonly SqlMigration[]): Promise<number[]> {
  return state.kind === 'sqlite' ? migrateSqlite(state.db, component, migrations) : migratePostgres(state.pool, component, migrations);
}

async function rows(state: StateBackend, sql: string): Promise<unknown[]> {
  return state.kind === 'sqlite' ? state.db.prepare(sql).all() : (await state.pool.query(sql)).rows;
}

async function exec(state: StateBackend, sql: string): Promise<void> {
  if (state.kind === 'sqlite') state.db.exec(sql);
  else await state.pool.query(sql);
}

async function tableExists(state: StateBackend, table: string): Promise<boolean> {
  if (state.kind === 'sqlite') return state.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
  return (await state.pool.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [table])).rows[0].present === true;
}

const v1 = { version: 1, name: 'things', up: `CREATE TABLE things (id INTEGER PRIMARY KEY, label TEXT NOT NULL)` };
const v2 = { version: 2, name: 'things have a colour', up: `ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'red'` };
const v3 = { version: 3, name: 'other things', up: `CREATE TABLE other_things (id INTEGER PRIMARY KEY)` };
const broken = { version: 4, name: 'broken', up: `INSERT INTO no_such_table VALUES (1)` };

for (const backend of backends) {
  describe.skipIf(!backend.available)(`migrations: ${backend.name}`, () => {
    let state: StateBackend;

    beforeEach(async () => {
      state = await backend.open();
      return async () => state.close();
    });
    afterAll(() => backend.dispose());

    it('applies the missing versions in order and records each; a second run applies none', async () => {
      expect(await migrate(state, 'demo', [v1])).toEqual([1]);
      await exec(state, `INSERT INTO things (id, label) VALUES (1, 'kept')`);
      expect(await migrate(state, 'demo', [v1, v2, v3])).toEqual([2, 3]);
      expect(await migrate(state, 'demo', [v1, v2, v3])).toEqual([]);
      expect(await schemaVersions(state, 'demo')).toEqual([1, 2, 3]);
      expect(await rows(state, 'SELECT id, label, colour FROM things')).toEqual([{ id: 1, label: 'kept', colour: 'red' }]);
      expect(await rows(state, `SELECT version, name FROM dagwright_schema_migrations ORDER BY version`)).toEqual([
        { version: 1, name: 'things' },
        { version: 2, name: 'things have a colour' },
        { version: 3, name: 'other things' },
      ]);
    });

    it('keeps the versions of each component apart', async () => {
      await migrate(state, 'demo', [v1, v2]);
      await migrate(state, 'other', [{ ...v3, version: 1 }]);
      expect(await schemaVersions(state, 'demo')).toEqual([1, 2]);
      expect(await schemaVersions(state, 'other')).toEqual([1]);
    });

    it('refuses a database newer than the code (a downgrade), and changes nothing', async () => {
      await migrate(state, 'demo', [v1, v2]);
      await expect(migrate(state, 'demo', [v1])).rejects.toMatchObject({ code: 'State.SchemaNewerThanCode', component: 'demo' });
      expect(await schemaVersions(state, 'demo')).toEqual([1, 2]);
    });

    it('refuses migrations not numbered 1, 2, 3, ...', async () => {
      await expect(migrate(state, 'demo', [v1, v3])).rejects.toMatchObject({ code: 'State.MigrationsMisnumbered' });
      expect(await tableExists(state, 'things')).toBe(false);
    });

    it('rolls back the whole run when one migration fails', async () => {
      await migrate(state, 'demo', [v1]);
      await expect(migrate(state, 'demo', [v1, v2, v3, broken])).rejects.toThrow(/no_such_table/);
      expect(await schemaVersions(state, 'demo')).toEqual([1]);
      expect(await tableExists(state, 'other_things')).toBe(false);
      expect(await rows(state, 'SELECT * FROM things')).toEqual([]);
      await exec(state, `INSERT INTO things (id, label) VALUES (1, 'no colour column')`);
    });

    it('rolls back a first run entirely, the versions table with it', async () => {
      await expect(migrate(state, 'demo', [v1, v2, v3, broken])).rejects.toThrow(/no_such_table/);
      expect(await tableExists(state, 'things')).toBe(false);
      expect(await tableExists(state, 'dagwright_schema_migrations')).toBe(false);
    });

    it('applies each version once when two pools migrate at the same time', async () => {
      const second = await openState({ spec: backend.lastSpec() });
      try {
        // Without the lock, both would run CREATE TABLE things (no IF NOT EXISTS) and one would fail.
        const slow = state.kind === 'postgres' ? [{ ...v1, up: `SELECT pg_sleep(0.3); ${v1.up}` }, v2] : [v1, v2];
        const applied = await Promise.all([migrate(state, 'demo', slow), migrate(second, 'demo', slow)]);
        expect(applied.map((a) => a.join(',')).sort()).toEqual(['', '1,2']);
        expect(await schemaVersions(second, 'demo')).toEqual([1, 2]);
      } finally {
        await second.close();
      }
    });
  });
}
