import type { PostgresMigration } from '../../../kit/state/postgres/postgres-migrate.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS bookmarks (
  name TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  status TEXT NOT NULL,
  state JSONB NOT NULL,
  inflight_run_id TEXT,
  last_committed_run_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bookmark_runs (
  bookmark TEXT NOT NULL,
  run_id TEXT NOT NULL,
  status TEXT NOT NULL,
  options JSONB NOT NULL,
  result JSONB,
  state_before JSONB NOT NULL,
  state_after JSONB,
  advanced BOOLEAN,
  begun_at TEXT NOT NULL,
  begun_by TEXT NOT NULL,
  ended_at TEXT,
  ended_by TEXT,
  PRIMARY KEY (bookmark, run_id)
);
CREATE TABLE IF NOT EXISTS bookmark_history (
  id BIGSERIAL PRIMARY KEY,
  bookmark TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  run_id TEXT,
  detail JSONB NOT NULL
);
CREATE INDEX IF NOT EXISTS bookmark_history_by_name ON bookmark_history (bookmark, id);
`;

/** The `bookmarks` component on PostgreSQL. Version 1 is the schema from before versions, and adopts the tables made by it. */
export const POSTGRES_BOOKMARK_MIGRATIONS: readonly PostgresMigration[] = [{ version: 1, name: 'bookmarks, runs and history', up: SCHEMA }];
