/** What the dq service keeps: evaluations per run, metric history, named rulesets, run partitions. */

export interface StoredEvaluation {
  /** The job id of the evaluation. */
  readonly id: string;
  readonly pipeline: string;
  readonly run_id: string;
  readonly attempt: number;
  readonly outcome: 'passed' | 'failed';
  readonly score: number;
  readonly rows_in: number;
  readonly rows_passed: number;
  readonly rows_quarantined: number;
  /** The job result (rules, metrics, batch, quarantine). */
  readonly result: unknown;
  readonly created_at: string;
}

export type EvaluationSummary = Omit<StoredEvaluation, 'result'>;

export interface StoredRuleset {
  readonly name: string;
  readonly text: string;
  readonly updated_at: string;
  readonly updated_by: string;
}

export interface MetricPoint {
  readonly metric: string;
  /** May be NaN or ±Infinity: every store keeps them as they are. */
  readonly value: number;
}

export interface DqStore {
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /** Inserts or replaces (a retried job keeps its id only when it is the same attempt). */
  saveEvaluation(e: StoredEvaluation): Promise<void>;
  getEvaluation(id: string): Promise<StoredEvaluation | undefined>;
  /** Newest first; `run_id` narrows to one run. */
  listEvaluations(pipeline: string, runId: string | undefined, limit: number): Promise<EvaluationSummary[]>;
  /**
   * Keeps a run's metrics under a history key; a later save for the same run replaces
   * them (retries never count twice).
   */
  recordMetrics(historyKey: string, runKey: string, at: string, points: readonly MetricPoint[]): Promise<void>;
  /** Earlier values of every metric under the key (most recent first), leaving out `exceptRun`, at most `limit` runs. */
  metricHistory(historyKey: string, exceptRun: string, limit: number): Promise<Map<string, number[]>>;
  putRuleset(r: StoredRuleset): Promise<void>;
  getRuleset(name: string): Promise<StoredRuleset | undefined>;
  listRulesets(): Promise<Array<Omit<StoredRuleset, 'text'>>>;
  /** The partition date of a run: the first caller's `dt` wins, so retries write to the same place. */
  claimRunDate(pipeline: string, runId: string, dt: string): Promise<string>;
}
