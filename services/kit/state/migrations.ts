/**
 * Numbered schema migrations for a service's state (SQLite or PostgreSQL). Each component
 * (`jobs`, `bookmarks`, `dq`) has its own numbered list per backend; the versions applied
 * are recorded in `dagwright_schema_migrations`, one row per (component, version).
 * The backend runners are sqlite/sqlite-migrate.ts and postgres/postgres-migrate.ts.
 */

/** One step of a component's schema: SQL run as one script, or a function for what SQL alone cannot say. */
export interface Migration<Step> {
  /** 1, 2, 3, ...: consecutive, in the order they apply. */
  readonly version: number;
  readonly name: string;
  readonly up: string | Step;
}

/** Advisory lock key that serialises schema migrations across PostgreSQL replicas. */
export const MIGRATION_LOCK = 72_231_001;

export const MIGRATIONS_TABLE = 'dagwright_schema_migrations';

/** The same text on SQLite and PostgreSQL. */
export const MIGRATIONS_TABLE_DDL = `
CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  component TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (component, version)
)`;

/** Why a component's schema cannot be brought to the version the code knows. */
export class SchemaMigrationError extends Error {
  constructor(
    readonly code: 'State.SchemaNewerThanCode' | 'State.MigrationsMisnumbered',
    readonly component: string,
    message: string,
  ) {
    super(message);
    this.name = 'SchemaMigrationError';
  }
}

/**
 * The migrations still to apply, in order, given the versions a database has recorded.
 * Refuses a database newer than the code (a downgrade) and a list that is not numbered 1..n.
 */
export function pendingMigrations<M extends Migration<unknown>>(component: string, migrations: readonly M[], applied: readonly number[]): M[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new SchemaMigrationError('State.MigrationsMisnumbered', component, `${component} migrations must be numbered 1, 2, 3, ...: found ${m.version} at position ${i + 1}`);
    }
  });
  const current = Math.max(0, ...applied);
  if (current > migrations.length) {
    throw new SchemaMigrationError(
      'State.SchemaNewerThanCode',
      component,
      `the ${component} state is at schema version ${current}, newer than this code knows (${migrations.length}): run a newer dagwright, or restore a backup made before the upgrade`,
    );
  }
  return migrations.slice(current);
}
