import type { SqliteMigration } from '../../state/sqlite/sqlite-migrate.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  kind TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('queued','running','succeeded','failed')),
  attempt INTEGER NOT NULL,
  idempotency_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  input TEXT NOT NULL,
  result TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  lease_until TEXT,
  UNIQUE (service, owner, idempotency_key, attempt)
);
CREATE INDEX IF NOT EXISTS jobs_unfinished ON jobs (service, status) WHERE status IN ('queued','running');
`;

/** The `jobs` component on SQLite. Version 1 is the schema from before versions, and adopts a table made by it. */
export const SQLITE_JOB_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'jobs with owners',
    up(db) {
      const columns = db.prepare(`SELECT name FROM pragma_table_info('jobs')`).all() as Array<{ name: string }>;
      // A table from before owners: rebuilt, since SQLite cannot drop its UNIQUE (service, idempotency_key, attempt).
      // Its rows keep owner '' and stay readable and replayable by every identity.
      if (columns.length > 0 && !columns.some((c) => c.name === 'owner')) db.exec('ALTER TABLE jobs RENAME TO jobs_before_owner');
      db.exec(SCHEMA);
      if (columns.length > 0 && !columns.some((c) => c.name === 'owner')) {
        const names = columns.map((c) => c.name).join(', ');
        db.exec(`INSERT INTO jobs (${names}) SELECT ${names} FROM jobs_before_owner; DROP TABLE jobs_before_owner;`);
      }
    },
  },
];
