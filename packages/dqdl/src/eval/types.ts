/**
 * The evaluator's model: what goes in (datasets, history, options) and what comes out
 * (rule and analyzer results in Glue's terms, or errors as data).
 */
import type { Span } from '../ast.js';

export type DataFormat = 'csv' | 'jsonl' | 'parquet';

/** One dataset: local files of one format (inferred from the names or contents when absent). */
export interface DataInput {
  readonly files: readonly string[];
  readonly format?: DataFormat;
}

/** Glue's result of a rule. */
export type Outcome = 'PASS' | 'FAIL' | 'ERROR';

/** Metric name (`Column.c.Completeness`) → value. */
export type Metrics = Record<string, number>;

export interface RuleResult {
  /** `Rule_0`, `Rule_1`, ... in ruleset order. */
  readonly name: string;
  /** The rule as canonical DQDL (Glue's `Description`). */
  readonly rule: string;
  /** The rule with dynamic expressions replaced by their values (Glue's `EvaluatedRule`). */
  readonly evaluatedRule: string;
  readonly result: Outcome;
  /** Glue's `EvaluationMessage`: why a rule failed or errored. */
  readonly message?: string;
  readonly metrics: Metrics;
  readonly labels: Record<string, string>;
  readonly pos: Span;
  /**
   * The binding problems that made this rule (or a rule of this composite) ERROR: an unknown
   * column, an invalid or unsafe where clause or CustomSql statement, a misused dynamic
   * function, a missing reference dataset; with their positions in the ruleset.
   */
  readonly problems?: readonly EvalError[];
}

export interface AnalyzerResult {
  /** `Analyzer_0`, ... */
  readonly name: string;
  readonly analyzer: string;
  readonly message?: string;
  readonly metrics: Metrics;
  readonly pos: Span;
  /** The binding problems that left this analyzer without metrics (see `RuleResult.problems`). */
  readonly problems?: readonly EvalError[];
}

export interface Evaluation {
  /** Passed rules divided by all rules (1 when there are none). */
  readonly score: number;
  /** Rows of the primary dataset. */
  readonly rowCount: number;
  readonly rules: readonly RuleResult[];
  readonly analyzers: readonly AnalyzerResult[];
  /**
   * Every metric computed, keyed for history: the metric name, with ` (where: <clause>)`
   * when a where clause filtered it. Dynamic rules read earlier runs' values by this key.
   */
  readonly history: Metrics;
}

export type EvalErrorCode =
  /** The ruleset does not parse, or uses something the evaluator cannot run (dynamic misuse). */
  | 'dq.invalid-ruleset'
  /** A rule (or a where clause) names a column the dataset lacks. */
  | 'dq.column-not-found'
  /** A where clause or CustomSql statement is not a single read-only predicate/query. */
  | 'dq.unsafe-sql'
  /** A where clause or CustomSql statement does not compile. */
  | 'dq.invalid-sql'
  /** A rule names a reference dataset that was not given. */
  | 'dq.missing-reference'
  /** The input is not valid CSV, JSON lines or Parquet (or cannot be read). */
  | 'dq.invalid-data';

export interface EvalError {
  readonly code: EvalErrorCode;
  readonly message: string;
  /** [start, end) offsets in the ruleset text, when the error is about the ruleset. */
  readonly pos?: Span;
  /** The data file, when the error is about data; `line` when the reader said which. */
  readonly file?: string;
  readonly line?: number;
}

/** Earlier values of a metric (history key), most recent first. */
export type MetricHistory = (key: string) => readonly number[];

export const NO_HISTORY: MetricHistory = () => [];
