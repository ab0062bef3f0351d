/** A spec after schema validation: the shape of the YAML, nothing resolved yet. */
import type { ScheduleSemantics } from './cron.js';
import type { TaskTypeName } from './schema.js';

export interface RetryMapSpec {
  readonly attempts?: number;
  readonly delay?: string;
  readonly backoff?: 'fixed' | 'exponential';
  readonly max_delay?: string;
}

export interface RetryPolicySpec extends RetryMapSpec {
  readonly on: readonly string[];
  readonly attempts: number;
}

export type ForEachSpec = readonly (string | number | boolean)[] | { readonly from: string; readonly max_parallel?: number };

export interface TaskSpec {
  readonly type: TaskTypeName;
  readonly doc?: string;
  readonly after?: readonly string[];
  readonly retry?: RetryMapSpec | readonly RetryPolicySpec[];
  readonly timeout?: string;
  readonly pool?: string;
  readonly pool_slots?: number;
  readonly trigger_rule?: string;
  readonly for_each?: ForEachSpec;
  /** Asset URIs the task updates (not on groups). */
  readonly outlets?: readonly string[];
  /** The type's own fields, checked by the schema of its type. */
  readonly [field: string]: unknown;
}

/** An asset URI, or {any: [...]} / {all: [...]} of conditions. */
export type AssetConditionSpec = string | { readonly any: readonly AssetConditionSpec[] } | { readonly all: readonly AssetConditionSpec[] };

/** `schedule.assets`: a list means all of its members. */
export type ScheduleAssetsSpec = readonly AssetConditionSpec[] | { readonly any: readonly AssetConditionSpec[] } | { readonly all: readonly AssetConditionSpec[] };

/** A cron or every schedule with `assets` runs on either: each time, and on each asset update. */
export type ScheduleSpec =
  | null
  | string
  | { readonly cron: string; readonly semantics?: ScheduleSemantics; readonly assets?: ScheduleAssetsSpec }
  | { readonly every: string; readonly semantics?: ScheduleSemantics; readonly assets?: ScheduleAssetsSpec }
  | { readonly assets: ScheduleAssetsSpec };

export interface PipelineSpec {
  readonly apiVersion: 'dagwright/v1';
  readonly kind: 'Pipeline';
  readonly name: string;
  readonly description?: string;
  readonly owner?: string;
  readonly tags?: readonly string[];
  readonly schedule: ScheduleSpec;
  readonly start_date: string;
  readonly timezone?: string;
  readonly catchup?: boolean;
  readonly max_active_runs?: number;
  readonly max_active_tasks?: number;
  readonly airflow?: string;
  readonly defaults?: { readonly retry?: RetryMapSpec; readonly timeout?: string; readonly pool?: string };
  /** Error codes of the user's own that retry policies may name. */
  readonly error_codes?: readonly string[];
  readonly sla?: string;
  readonly on_failure?: { readonly sns: string; readonly aws_conn_id?: string };
  readonly tasks: Readonly<Record<string, TaskSpec>>;
}
