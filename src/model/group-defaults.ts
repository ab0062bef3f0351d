/**
 * The fields a task takes from the groups around it. A group's `pool`, `pool_slots`,
 * `retry` and `timeout` are defaults of every task inside it (the task's own fields win, an
 * inner group's over an outer one's, and a map-form retry merges field by field as over
 * `defaults.retry`). A group's `trigger_rule` decides when the group starts, so it reaches
 * the group's first tasks (those the group's `after` edges land on), not the ones that run
 * after another task of the group.
 */
import { parseDuration } from '../spec/duration.js';
import type { SpecPath } from '../spec/source.js';
import type { TaskSpec } from '../spec/types.js';
import { resolveRetry } from './retry.js';
import type { RetryModel, UniformRetry } from './types.js';

export interface GroupScope {
  readonly id: string;
  readonly spec: TaskSpec;
  readonly path: SpecPath;
}

export interface InheritedSettings {
  readonly retry: RetryModel;
  /** The group whose list of retry policies the task takes, when it takes one from a group. */
  readonly policiesFrom: GroupScope | undefined;
  readonly timeoutSeconds: number | undefined;
  readonly pool: string | undefined;
  readonly poolSlots: number | undefined;
  readonly triggerRule: string | undefined;
}

export interface InheritOptions {
  readonly task: TaskSpec;
  /** The groups around the task, innermost first. */
  readonly groups: readonly GroupScope[];
  /** Whether the task is one of a group's first tasks: nothing inside the group runs before it. */
  readonly isFirstIn: (groupId: string) => boolean;
  readonly defaults: { readonly retry: UniformRetry; readonly timeoutSeconds: number | undefined; readonly pool: string | undefined };
}

export function inheritSettings(options: InheritOptions): InheritedSettings {
  const { task, groups, defaults } = options;
  const outerFirst = [...groups].reverse();

  let retry: RetryModel = defaults.retry;
  let policiesFrom: GroupScope | undefined;
  for (const group of outerFirst) {
    const own = group.spec.retry;
    if (own === undefined) continue;
    retry = resolveRetry(own, retry.kind === 'uniform' ? retry : defaults.retry);
    policiesFrom = retry.kind === 'policies' ? group : undefined;
  }
  if (task.retry !== undefined) {
    retry = resolveRetry(task.retry, retry.kind === 'uniform' ? retry : defaults.retry);
    policiesFrom = undefined;
  }

  const nearest = <K extends 'pool' | 'pool_slots' | 'timeout'>(key: K): TaskSpec[K] | undefined =>
    task[key] ?? groups.find((group) => group.spec[key] !== undefined)?.spec[key];
  const timeout = nearest('timeout');

  let triggerRule = task.trigger_rule;
  for (const group of groups) {
    if (triggerRule !== undefined || !options.isFirstIn(group.id)) break;
    triggerRule = group.spec.trigger_rule;
  }

  return {
    retry,
    policiesFrom,
    timeoutSeconds: timeout === undefined ? defaults.timeoutSeconds : parseDuration(timeout),
    pool: nearest('pool') ?? defaults.pool,
    poolSlots: nearest('pool_slots'),
    triggerRule,
  };
}
