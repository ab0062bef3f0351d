import type { PostgresMigration } from '../../state/postgres/postgres-migrate.js';

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
  input JSONB NOT NULL,
  result JSONB,
  error JSONB,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  lease_until TEXT
);
`;

const INDEXES = `
CREATE UNIQUE INDEX IF NOT EXISTS jobs_service_owner_key_attempt ON jobs (service, owner, idempotency_key, attempt);
CREATE INDEX IF NOT EXISTS jobs_unfinished ON jobs (service, status) WHERE status IN ('queued','running');
`;

/**
 * A table from before owners gets the column (its rows keep owner '', readable and
 * replayable by every identity) and trades its UNIQUE (service, idempotency_key, attempt)
 * for one that includes the owner.
 */
const OWNER_MIGRATION = `
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS owner TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_service_idempotency_key_attempt_key;
`;

/** The `jobs` component on PostgreSQL. Version 1 is the schema from before versions, and adopts a table made by it. */
export const POSTGRES_JOB_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'jobs with owners',
    async up(client) {
      await client.query(SCHEMA);
      // Only a table from before owners is altered: ALTER TABLE locks the table, even when there is nothing to do.
      const owner = await client.query(
        `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'jobs' AND column_name = 'owner'`,
      );
      if (owner.rowCount === 0) await client.query(OWNER_MIGRATION);
      await client.query(INDEXES);
    },
  },
];
