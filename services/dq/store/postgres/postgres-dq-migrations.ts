import type { PostgresMigration } from '../../../kit/state/postgres/postgres-migrate.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS dq_evaluations (
  id TEXT PRIMARY KEY,
  pipeline TEXT NOT NULL,
  run_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  rows_in BIGINT NOT NULL,
  rows_passed BIGINT NOT NULL,
  rows_quarantined BIGINT NOT NULL,
  result JSONB NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dq_evaluations_by_run ON dq_evaluations (pipeline, run_id, created_at);
CREATE TABLE IF NOT EXISTS dq_metrics (
  history_key TEXT NOT NULL,
  run_key TEXT NOT NULL,
  metric TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
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

/** The `dq` component on PostgreSQL. Version 1 is the schema from before versions, and adopts the tables made by it. */
export const POSTGRES_DQ_MIGRATIONS: readonly PostgresMigration[] = [{ version: 1, name: 'evaluations, metrics, rulesets and runs', up: SCHEMA }];
