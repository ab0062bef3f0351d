/**
 * A spec after schema validation: the shape of the YAML, nothing resolved yet. The types are
 * derived from the schema in `schema.ts`, so a field is defined once: a task is a union
 * discriminated by `type`, each member with exactly the fields its type's schema allows.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { ScheduleSemantics } from './cron.js';
import type { forEach, pipelineSchema, retryMap, retryPolicy, TaskSchema, TaskTypeName } from './schema.js';

export type RetryMapSpec = FromSchema<typeof retryMap>;
export type RetryPolicySpec = FromSchema<typeof retryPolicy>;
export type ForEachSpec = FromSchema<typeof forEach>;

type TaskFields<T extends TaskTypeName> = FromSchema<TaskSchema<T>>;

/** A group's `tasks` are tasks in turn (each is checked against the schema of its own type). */
export type GroupSpec = Omit<TaskFields<'group'>, 'tasks'> & { readonly tasks: Readonly<Record<string, TaskSpec>> };

/** The spec of a task of type T. */
export type TaskSpecOf<T extends TaskTypeName> = T extends 'group' ? GroupSpec : TaskFields<T>;

/** A task's spec: narrow it on `type` to read its type's own fields. */
export type TaskSpec = { [T in TaskTypeName]: TaskSpecOf<T> }[TaskTypeName];

/** A task that is not a group: one Airflow task. */
export type LeafTaskSpec = TaskSpecOf<Exclude<TaskTypeName, 'group'>>;

/**
 * An asset URI, or {any: [...]} / {all: [...]} of conditions. Written by hand: the schema's
 * `asset_condition` is recursive (a `$ref` to itself), which cannot be derived as a type.
 */
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

/** The top level without `schedule` (recursive, above) and `tasks` (checked task by task). */
type TopLevelFields = FromSchema<{
  readonly type: 'object';
  readonly additionalProperties: false;
  readonly required: readonly Exclude<(typeof pipelineSchema.required)[number], 'schedule' | 'tasks'>[];
  readonly properties: Omit<typeof pipelineSchema.properties, 'schedule' | 'tasks'>;
}>;

export type PipelineSpec = TopLevelFields & {
  readonly schedule: ScheduleSpec;
  readonly tasks: Readonly<Record<string, TaskSpec>>;
};
