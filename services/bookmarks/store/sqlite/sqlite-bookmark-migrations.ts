import type { SqliteMigration } from '../../../kit/state/sqlite/sqlite-migrate.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS bookmarks (
  name TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  status TEXT NOT NULL,
  state TEXT NOT NULL,
  inflight_run_id TEXT,
  last_committed_run_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bookmark_runs (
  bookmark TEXT NOT NULL,
  run_id TEXT NOT NULL,
  status TEXT NOT NULL,
  options TEXT NOT NULL,
  result TEXT,
  state_before TEXT NOT NULL,
  state_after TEXT,
  advanced INTEGER,
  begun_at TEXT NOT NULL,
  begun_by TEXT NOT NULL,
  ended_at TEXT,
  ended_by TEXT,
  PRIMARY KEY (bookmark, run_id)
);
CREATE TABLE IF NOT EXISTS bookmark_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  bookmark TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  run_id TEXT,
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS bookmark_history_by_name ON bookmark_history (bookmark, id);
`;

/** The `bookmarks` component on SQLite. Version 1 is the schema from before versions, and adopts the tables made by it. */
export const SQLITE_BOOKMARK_MIGRATIONS: readonly SqliteMigration[] = [{ version: 1, name: 'bookmarks, runs and history', up: SCHEMA }];
