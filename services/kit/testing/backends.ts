import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openState, type StateBackend } from '../state/open-state.js';
import { MIGRATIONS_TABLE } from '../state/migrations.js';
import { postgresSchemaVersions } from '../state/postgres/postgres-migrate.js';
import { sqliteSchemaVersions } from '../state/sqlite/sqlite-migrate.js';
import { pgUrl } from './env.js';

/** One state backend a conformance suite runs against. */
export interface TestBackend {
  readonly name: 'sqlite' | 'postgres';
  readonly available: boolean;
  readonly reason: string;
  /** A fresh, empty state: a new SQLite file, or a new PostgreSQL schema. */
  open(): Promise<StateBackend>;
  /** Where `open()` put it, as a `--state` value (a path or a URL with the schema). */
  lastSpec(): string;
  /** Drops what `open()` created (PostgreSQL schemas). */
  dispose(): Promise<void>;
}

export function testBackends(options: { dir: string }): TestBackend[] {
  const pgReq = pgUrl();
  let sqliteSpec = '';
  let pgSpec = '';
  const schemas: string[] = [];
  return [
    {
      name: 'sqlite',
      available: true,
      reason: '',
      async open() {
        sqliteSpec = `${options.dir}/state-${randomBytes(4).toString('hex')}.sqlite`;
        return openState({ spec: sqliteSpec });
      },
      lastSpec: () => sqliteSpec,
      dispose: async () => undefined,
    },
    {
      name: 'postgres',
      available: pgReq.available,
      reason: pgReq.reason,
      async open() {
        const schema = `t_${randomBytes(5).toString('hex')}`;
        schemas.push(schema);
        pgSpec = withSchema(pgReq.value, schema);
        return openState({ spec: pgReq.value, schema });
      },
      lastSpec: () => pgSpec,
      async dispose() {
        if (schemas.length === 0) return;
        const client = new pg.Client({ connectionString: pgReq.value });
        await client.connect();
        try {
          for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await client.end();
        }
      },
    },
  ];
}

/** A PostgreSQL URL whose connections use `schema` (libpq `options`). */
export function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** The schema versions of `component` a state has recorded, ascending. */
export async function schemaVersions(state: StateBackend, component: string): Promise<number[]> {
  return state.kind === 'sqlite' ? sqliteSchemaVersions(state.db, component) : postgresSchemaVersions(state.pool, component);
}

/** Makes a state look like one made before schema versions: its tables as they are, no versions table. */
export async function dropSchemaVersions(state: StateBackend): Promise<void> {
  if (state.kind === 'sqlite') state.db.exec(`DROP TABLE ${MIGRATIONS_TABLE}`);
  else await state.pool.query(`DROP TABLE ${MIGRATIONS_TABLE}`);
}
