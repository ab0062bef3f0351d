import type pg from 'pg';
import { migratePostgres } from '../../../kit/state/postgres/postgres-migrate.js';
import { withPgTransaction } from '../../../kit/state/postgres/postgres-transaction.js';
import { POSTGRES_DQ_MIGRATIONS } from './postgres-dq-migrations.js';
import type { DqStore, EvaluationSummary, MetricPoint, StoredEvaluation, StoredRuleset } from '../types.js';

const SUMMARY = 'id, pipeline, run_id, attempt, outcome, score, rows_in::float8 AS rows_in, rows_passed::float8 AS rows_passed, rows_quarantined::float8 AS rows_quarantined, created_at';

export class PostgresDqStore implements DqStore {
  constructor(private readonly pool: pg.Pool) {}

  async migrate(): Promise<void> {
    await migratePostgres(this.pool, 'dq', POSTGRES_DQ_MIGRATIONS);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async saveEvaluation(e: StoredEvaluation): Promise<void> {
    await this.pool.query(
      `INSERT INTO dq_evaluations (id, pipeline, run_id, attempt, outcome, score, rows_in, rows_passed, rows_quarantined, created_at, result)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET outcome = EXCLUDED.outcome, score = EXCLUDED.score, rows_in = EXCLUDED.rows_in,
         rows_passed = EXCLUDED.rows_passed, rows_quarantined = EXCLUDED.rows_quarantined, result = EXCLUDED.result`,
      [e.id, e.pipeline, e.run_id, e.attempt, e.outcome, e.score, e.rows_in, e.rows_passed, e.rows_quarantined, e.created_at, JSON.stringify(e.result)],
    );
  }

  async getEvaluation(id: string): Promise<StoredEvaluation | undefined> {
    return (await this.pool.query<StoredEvaluation>(`SELECT ${SUMMARY}, result FROM dq_evaluations WHERE id = $1`, [id])).rows[0];
  }

  async listEvaluations(pipeline: string, runId: string | undefined, limit: number): Promise<EvaluationSummary[]> {
    const res =
      runId === undefined
        ? await this.pool.query<EvaluationSummary>(`SELECT ${SUMMARY} FROM dq_evaluations WHERE pipeline = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, [pipeline, limit])
        : await this.pool.query<EvaluationSummary>(`SELECT ${SUMMARY} FROM dq_evaluations WHERE pipeline = $1 AND run_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3`, [pipeline, runId, limit]);
    return res.rows;
  }

  async recordMetrics(historyKey: string, runKey: string, at: string, points: readonly MetricPoint[]): Promise<void> {
    await withPgTransaction(this.pool, async (c) => {
      await c.query('DELETE FROM dq_metrics WHERE history_key = $1 AND run_key = $2', [historyKey, runKey]);
      if (points.length > 0) {
        await c.query(
          'INSERT INTO dq_metrics (history_key, run_key, metric, value, at) SELECT $1, $2, m, v, $3 FROM unnest($4::text[], $5::float8[]) AS t(m, v)',
          [historyKey, runKey, at, points.map((p) => p.metric), points.map((p) => p.value)],
        );
      }
    });
  }

  async metricHistory(historyKey: string, exceptRun: string, limit: number): Promise<Map<string, number[]>> {
    const res = await this.pool.query<MetricPoint>(
      `SELECT metric, value FROM (
         SELECT metric, value, at, run_key, row_number() OVER (PARTITION BY metric ORDER BY at DESC, run_key DESC) AS n
         FROM dq_metrics WHERE history_key = $1 AND run_key <> $2
       ) t WHERE n <= $3 ORDER BY metric, at DESC, run_key DESC`,
      [historyKey, exceptRun, limit],
    );
    const out = new Map<string, number[]>();
    for (const r of res.rows) out.set(r.metric, [...(out.get(r.metric) ?? []), r.value]);
    return out;
  }

  async putRuleset(r: StoredRuleset): Promise<void> {
    await this.pool.query(
      `INSERT INTO dq_rulesets (name, text, updated_at, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET text = EXCLUDED.text, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [r.name, r.text, r.updated_at, r.updated_by],
    );
  }

  async getRuleset(name: string): Promise<StoredRuleset | undefined> {
    return (await this.pool.query<StoredRuleset>('SELECT * FROM dq_rulesets WHERE name = $1', [name])).rows[0];
  }

  async listRulesets(): Promise<Array<Omit<StoredRuleset, 'text'>>> {
    return (await this.pool.query<Omit<StoredRuleset, 'text'>>('SELECT name, updated_at, updated_by FROM dq_rulesets ORDER BY name')).rows;
  }

  async claimRunDate(pipeline: string, runId: string, dt: string): Promise<string> {
    await this.pool.query('INSERT INTO dq_runs (pipeline, run_id, dt) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [pipeline, runId, dt]);
    return (await this.pool.query<{ dt: string }>('SELECT dt FROM dq_runs WHERE pipeline = $1 AND run_id = $2', [pipeline, runId])).rows[0]!.dt;
  }
}
