import type Database from 'better-sqlite3';
import { decodeMetric, encodeMetric } from '@dagwright/dqdl';
import { migrateSqlite } from '../../../kit/state/sqlite/sqlite-migrate.js';
import { withSqliteTransaction } from '../../../kit/state/sqlite/sqlite-transaction.js';
import { SQLITE_DQ_MIGRATIONS } from './sqlite-dq-migrations.js';
import type { DqStore, EvaluationSummary, MetricPoint, StoredEvaluation, StoredRuleset } from '../types.js';

const SUMMARY = 'id, pipeline, run_id, attempt, outcome, score, rows_in, rows_passed, rows_quarantined, created_at';

export class SqliteDqStore implements DqStore {
  constructor(private readonly db: Database.Database) {}

  async migrate(): Promise<void> {
    migrateSqlite(this.db, 'dq', SQLITE_DQ_MIGRATIONS);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async saveEvaluation(e: StoredEvaluation): Promise<void> {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO dq_evaluations (${SUMMARY}, result) VALUES (@id, @pipeline, @run_id, @attempt, @outcome, @score, @rows_in, @rows_passed, @rows_quarantined, @created_at, @result)`,
      )
      .run({ ...e, result: JSON.stringify(e.result) });
  }

  async getEvaluation(id: string): Promise<StoredEvaluation | undefined> {
    const row = this.db.prepare('SELECT * FROM dq_evaluations WHERE id = ?').get(id) as (Omit<StoredEvaluation, 'result'> & { result: string }) | undefined;
    return row === undefined ? undefined : { ...row, result: JSON.parse(row.result) as unknown };
  }

  async listEvaluations(pipeline: string, runId: string | undefined, limit: number): Promise<EvaluationSummary[]> {
    const where = runId === undefined ? 'pipeline = ?' : 'pipeline = ? AND run_id = ?';
    const args = runId === undefined ? [pipeline, limit] : [pipeline, runId, limit];
    return this.db.prepare(`SELECT ${SUMMARY} FROM dq_evaluations WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ?`).all(...args) as EvaluationSummary[];
  }

  async recordMetrics(historyKey: string, runKey: string, at: string, points: readonly MetricPoint[]): Promise<void> {
    const del = this.db.prepare('DELETE FROM dq_metrics WHERE history_key = ? AND run_key = ?');
    const ins = this.db.prepare('INSERT INTO dq_metrics (history_key, run_key, metric, value, at) VALUES (?, ?, ?, ?, ?)');
    withSqliteTransaction(this.db, 'deferred', () => {
      del.run(historyKey, runKey);
      // SQLite stores NaN as NULL: non-finite values are kept as their JSON strings ("NaN", ...).
      for (const p of points) ins.run(historyKey, runKey, p.metric, encodeMetric(p.value), at);
    });
  }

  async metricHistory(historyKey: string, exceptRun: string, limit: number): Promise<Map<string, number[]>> {
    const rows = this.db
      .prepare(
        `SELECT metric, value FROM (
           SELECT metric, value, at, run_key, row_number() OVER (PARTITION BY metric ORDER BY at DESC, run_key DESC) AS n
           FROM dq_metrics WHERE history_key = ? AND run_key != ?
         ) WHERE n <= ? ORDER BY metric, at DESC, run_key DESC`,
      )
      .all(historyKey, exceptRun, limit) as Array<{ metric: string; value: unknown }>;
    const out = new Map<string, number[]>();
    for (const r of rows) {
      const value = decodeMetric(r.value);
      if (typeof value === 'number') out.set(r.metric, [...(out.get(r.metric) ?? []), value]);
    }
    return out;
  }

  async putRuleset(r: StoredRuleset): Promise<void> {
    this.db.prepare('INSERT OR REPLACE INTO dq_rulesets (name, text, updated_at, updated_by) VALUES (@name, @text, @updated_at, @updated_by)').run(r);
  }

  async getRuleset(name: string): Promise<StoredRuleset | undefined> {
    return this.db.prepare('SELECT * FROM dq_rulesets WHERE name = ?').get(name) as StoredRuleset | undefined;
  }

  async listRulesets(): Promise<Array<Omit<StoredRuleset, 'text'>>> {
    return this.db.prepare('SELECT name, updated_at, updated_by FROM dq_rulesets ORDER BY name').all() as Array<Omit<StoredRuleset, 'text'>>;
  }

  async claimRunDate(pipeline: string, runId: string, dt: string): Promise<string> {
    this.db.prepare('INSERT OR IGNORE INTO dq_runs (pipeline, run_id, dt) VALUES (?, ?, ?)').run(pipeline, runId, dt);
    return (this.db.prepare('SELECT dt FROM dq_runs WHERE pipeline = ? AND run_id = ?').get(pipeline, runId) as { dt: string }).dt;
  }
}
