/** The dq service's requests, job inputs and results. */
import type { MetricsJson } from '@dagwright/dqdl';
import type { DataFormat, OnViolation } from '../../../src/contract/index.js';

export type { OnViolation };
export type Format = DataFormat;

/** An object as a batch names it: `s3://bucket/key`, or `{key}` (with a bucket from the object, the batch or the service). */
export type ObjectInput = string | { readonly key: string; readonly bucket?: string; readonly size?: number; readonly etag?: string; readonly last_modified?: string };

/**
 * A dataset: a prefix or path (`s3://bucket/prefix/`, `s3://bucket/key.parquet`, or a local
 * path under an allowed root), or a batch: `{objects, source?, ...}` as the bookmarks
 * service (or an earlier evaluation) returns it, or a bookmark run `{source, batch: {objects}}`,
 * or a reference to a large batch's manifest: `{manifest, source?, count?, total_bytes?}`.
 */
export type DatasetInput =
  | string
  | {
      readonly source?: string;
      readonly bucket?: string;
      readonly objects?: readonly ObjectInput[];
      readonly batch?: { readonly objects?: readonly ObjectInput[] };
      /** A large batch: `s3://bucket/key` of its JSON-lines manifest (src/contract/batch.ts), instead of `objects`. */
      readonly manifest?: string;
      readonly count?: number;
      readonly sha256?: string;
      readonly total_bytes?: number;
      readonly [extra: string]: unknown;
    };

export interface GlueTarget {
  readonly database: string;
  readonly table: string;
  readonly catalog_id?: string;
  readonly role_arn?: string;
}

/** `POST /v1/evaluations`: what the DataQualityOperator sends, and more. */
export interface EvaluationBody {
  readonly ruleset: string | { readonly name: string };
  readonly dataset: DatasetInput;
  readonly format?: Format;
  readonly on_violation?: OnViolation;
  readonly pipeline?: string;
  readonly run_id?: string;
  readonly references?: Readonly<Record<string, DatasetInput>>;
  /** The root for passed rows and quarantine (`s3://bucket/prefix/`). */
  readonly output?: string;
  /** The quarantine partition's date; from the run id, else today. */
  readonly dt?: string;
  readonly engine?: 'duckdb' | 'glue';
  readonly glue?: GlueTarget;
  readonly history_key?: string;
  /** Less time or memory than the service's maximum for this evaluation (never more). */
  readonly limits?: { readonly time_seconds?: number; readonly memory_mb?: number };
}

/** The job's input: the body with its defaults resolved. */
export interface EvaluationInput extends EvaluationBody {
  readonly on_violation: OnViolation;
  readonly pipeline: string;
  readonly run_id: string;
  readonly engine: 'duckdb' | 'glue';
  /** Today (UTC) when the request came, for runs whose id names no date. */
  readonly received_dt: string;
}

export interface RuleSummary {
  readonly name: string;
  readonly rule: string;
  readonly result: 'PASS' | 'FAIL' | 'ERROR';
  readonly message?: string;
  /** Numbers, or "NaN", "Infinity", "-Infinity" (packages/dqdl/src/metric-values.ts). */
  readonly metrics: MetricsJson;
  readonly labels?: Record<string, string>;
}

export interface AnalyzerSummary {
  readonly name: string;
  readonly analyzer: string;
  /** Numbers, or "NaN", "Infinity", "-Infinity". */
  readonly metrics: MetricsJson;
  readonly message?: string;
}

export interface OutputBatch {
  readonly source: string;
  readonly objects: ReadonlyArray<{ readonly bucket?: string; readonly key: string; readonly size: number; readonly etag?: string }>;
  readonly total_bytes: number;
  readonly format: Format;
}

export interface EvaluationResult {
  readonly evaluation_id: string;
  readonly outcome: 'passed' | 'failed';
  readonly score: number;
  readonly rows_in: number;
  readonly rows_passed: number;
  readonly rows_quarantined: number;
  readonly rules: readonly RuleSummary[];
  readonly analyzers: readonly AnalyzerSummary[];
  /** What a following load reads: the passed rows when quarantining, else the input batch. */
  readonly batch: unknown;
  readonly quarantine?: OutputBatch;
  readonly pipeline: string;
  readonly run_id: string;
  readonly dt?: string;
  readonly engine: 'duckdb' | 'glue';
}
