import type { SqliteMigration } from '../../../kit/state/sqlite/sqlite-migrate.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS dq_evaluations (
  id TEXT PRIMARY KEY,
  pipeline TEXT NOT NULL,
  run_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  score REAL NOT NULL,
  rows_in INTEGER NOT NULL,
  rows_passed INTEGER NOT NULL,
  rows_quarantined INTEGER NOT NULL,
  result TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dq_evaluations_by_run ON dq_evaluations (pipeline, run_id, created_at);
CREATE TABLE IF NOT EXISTS dq_metrics (
  history_key TEXT NOT NULL,
  run_key TEXT NOT NULL,
  metric TEXT NOT NULL,
  value REAL NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (history_key, run_key, metric)
);
CREATE INDEX IF NOT EXISTS dq_metrics_by_key ON dq_metrics (history_key, metric, at);
CREATE TABLE IF NOT EXISTS dq_rulesets (
  name TEXT PRIMARY KEY,
  text TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dq_runs (
  pipeline TEXT NOT NULL,
  run_id TEXT NOT NULL,
  dt TEXT NOT NULL,
  PRIMARY KEY (pipeline, run_id)
);
`;

/** The `dq` component on SQLite. Version 1 is the schema from before versions, and adopts the tables made by it. */
export const SQLITE_DQ_MIGRATIONS: readonly SqliteMigration[] = [{ version: 1, name: 'evaluations, metrics, rulesets and runs', up: SCHEMA }];
