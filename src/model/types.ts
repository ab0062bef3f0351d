/**
 * The PipelineModel: a spec with every default resolved, every reference resolved to a task,
 * and the graph checked. Nothing downstream of this reads the raw spec.
 */
import type { DataFormat } from '../contract/index.js';
import type { ScheduleSemantics } from '../spec/cron.js';
import type { SpecPath } from '../spec/source.js';
import type { AirflowTarget } from './airflow-target.js';

export type Backoff = 'fixed' | 'exponential';

/** Airflow's own retries: every failure of the task retried the same way. */
export interface UniformRetry {
  readonly kind: 'uniform';
  readonly attempts: number;
  readonly delaySeconds: number;
  readonly backoff: Backoff;
  readonly maxDelaySeconds: number | undefined;
}

export interface RetryPolicy {
  readonly on: readonly string[];
  readonly attempts: number;
  readonly delaySeconds: number;
  readonly backoff: Backoff;
  readonly maxDelaySeconds: number | undefined;
}

/** Per-error policies, handled by the dagwright operators; unlisted errors fail fast. */
export interface PolicyRetry {
  readonly kind: 'policies';
  readonly policies: readonly RetryPolicy[];
}

export type RetryModel = UniformRetry | PolicyRetry;

export type SensorMode = 'deferrable' | 'reschedule';

export type ForEachModel =
  | { readonly kind: 'values'; readonly values: readonly (string | number | boolean)[] }
  | { readonly kind: 'upstream'; readonly from: string; readonly maxParallel: number | undefined };

export type TaskDetails =
  | {
      readonly type: 's3_sensor';
      readonly bucket: string;
      readonly key: string;
      readonly wildcard: boolean;
      readonly awsConnId: string | undefined;
      readonly pokeIntervalSeconds: number | undefined;
      readonly mode: SensorMode;
      readonly sensorTimeoutSeconds: number | undefined;
    }
  | {
      readonly type: 'bookmark';
      readonly bookmark: string;
      readonly source: string;
      readonly partitioning: 'hive' | 'none';
      readonly options: Readonly<Record<string, string | number>>;
      readonly connection: string | undefined;
    }
  | { readonly type: 'bookmark_commit'; readonly bookmark: string; readonly connection: string | undefined }
  | {
      readonly type: 'dq_check';
      readonly ruleset: string;
      readonly onViolation: 'quarantine' | 'fail' | 'warn';
      readonly inputTaskId: string | undefined;
      /** The input task is mapped (so is this one, the same way): each copy reads its own copy's batch. */
      readonly inputMapped: boolean;
      readonly dataset: string | undefined;
      /** As the dq service names it. */
      readonly format: DataFormat | undefined;
      readonly connection: string | undefined;
    }
  | {
      readonly type: 'warehouse_available';
      readonly warehouse: string;
      readonly pokeIntervalSeconds: number | undefined;
      readonly mode: SensorMode;
      readonly sensorTimeoutSeconds: number | undefined;
      readonly connection: string | undefined;
    }
  | {
      readonly type: 'load';
      readonly warehouse: string;
      readonly table: string;
      readonly mode: 'append' | 'merge' | 'replace';
      readonly keys: readonly string[];
      /** The loader's top-level `order_by`. */
      readonly orderBy: string | undefined;
      readonly inputTaskId: string | undefined;
      /** The input task is mapped (so is this one, the same way): each copy reads its own copy's batch. */
      readonly inputMapped: boolean;
      /** An S3 prefix or object (Jinja-templated) loaded instead of an upstream batch. */
      readonly source: string | undefined;
      /** The AWS connection that lists `source`. */
      readonly awsConnId: string | undefined;
      /** As the loader names it. */
      readonly format: DataFormat | undefined;
      /** The loader's `options` (allow_new_columns). */
      readonly options: Readonly<Record<string, boolean>>;
      readonly connection: string | undefined;
    }
  | {
      readonly type: 'glue_job';
      readonly jobName: string;
      readonly scriptArgs: Readonly<Record<string, string>>;
      readonly region: string | undefined;
      readonly awsConnId: string | undefined;
    }
  | {
      readonly type: 'notify';
      readonly topicArn: string;
      readonly message: string;
      readonly subject: string | undefined;
      readonly awsConnId: string | undefined;
    }
  | {
      readonly type: 'http';
      readonly connection: string;
      readonly endpoint: string;
      readonly method: string;
      readonly json: unknown;
      readonly headers: Readonly<Record<string, string>> | undefined;
      readonly expectedStatus: readonly number[] | undefined;
    }
  | { readonly type: 'bash'; readonly command: string; readonly env: Readonly<Record<string, string>> | undefined; readonly cwd: string | undefined }
  | { readonly type: 'python'; readonly module: string; readonly function: string; readonly kwargs: Readonly<Record<string, unknown>> | undefined }
  | { readonly type: 'empty' };

export type TaskType = TaskDetails['type'];

export interface TaskModel {
  /** The Airflow task_id: the spec's id, prefixed by its groups (`group.task`). */
  readonly taskId: string;
  /** The id of the enclosing group, if any. */
  readonly groupId: string | undefined;
  /** Where the task is defined in the spec (generated tasks point at their origin). */
  readonly path: SpecPath;
  readonly doc: string | undefined;
  /** Task or group ids this task runs after. */
  readonly upstream: readonly string[];
  readonly retry: RetryModel;
  /** execution_timeout in seconds; undefined means none. */
  readonly executionTimeoutSeconds: number | undefined;
  readonly pool: string | undefined;
  readonly poolSlots: number | undefined;
  readonly triggerRule: string | undefined;
  readonly forEach: ForEachModel | undefined;
  /** The run-level SLA, placed on the tasks that finish a run (Airflow 2.x). */
  readonly slaSeconds: number | undefined;
  /** Asset URIs the task updates when it succeeds (its outlets). */
  readonly outlets: readonly string[];
  readonly details: TaskDetails;
}

export interface GroupModel {
  readonly groupId: string;
  readonly parentId: string | undefined;
  readonly upstream: readonly string[];
  readonly doc: string | undefined;
}

/**
 * A periodic schedule (cron, a periodic preset as its cron, or every) carries its semantics:
 * `interval` runs cover the interval that just ended and their logical date is its start
 * (Airflow 2.x's default); `trigger` runs have the time they were due as their logical date.
 */
export type TimeScheduleModel =
  | { readonly kind: 'cron'; readonly cron: string; readonly semantics: ScheduleSemantics }
  | { readonly kind: 'every'; readonly seconds: number; readonly semantics: ScheduleSemantics };

/** When asset updates start a run: one asset, or any or all of several conditions. */
export type AssetCondition =
  | { readonly kind: 'asset'; readonly uri: string }
  | { readonly kind: 'any' | 'all'; readonly of: readonly AssetCondition[] };

/**
 * `assets` runs when its condition is met; `assets-or-time` runs at each time of its
 * periodic schedule, with that schedule's semantics, and also whenever the condition is met.
 */
export type ScheduleModel =
  | { readonly kind: 'none' }
  | { readonly kind: 'preset'; readonly preset: '@once' | '@continuous' }
  | TimeScheduleModel
  | { readonly kind: 'assets'; readonly condition: AssetCondition }
  | { readonly kind: 'assets-or-time'; readonly condition: AssetCondition; readonly time: TimeScheduleModel };

export interface PipelineModel {
  readonly sourceFile: string;
  readonly sourceSha256: string;
  readonly dagId: string;
  readonly description: string | undefined;
  readonly owner: string;
  readonly tags: readonly string[];
  readonly schedule: ScheduleModel;
  readonly startDate: { readonly year: number; readonly month: number; readonly day: number };
  readonly timezone: string;
  readonly catchup: boolean;
  readonly maxActiveRuns: number | undefined;
  readonly maxActiveTasks: number | undefined;
  readonly target: AirflowTarget;
  readonly defaults: {
    readonly retry: UniformRetry;
    readonly executionTimeoutSeconds: number | undefined;
    readonly pool: string | undefined;
  };
  readonly slaSeconds: number | undefined;
  readonly onFailure: { readonly snsTopicArn: string; readonly awsConnId: string | undefined } | undefined;
  /** Groups in definition order (parents before children). */
  readonly groups: readonly GroupModel[];
  /** Tasks in definition order: every task after the tasks its definition refers to. */
  readonly tasks: readonly TaskModel[];
}
