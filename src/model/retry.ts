import { parseDuration } from '../spec/duration.js';
import type { RetryMapSpec, RetryPolicySpec } from '../spec/types.js';
import type { RetryModel, RetryPolicy, UniformRetry } from './types.js';

/** Airflow's own defaults: no retries, five minutes apart. */
const AIRFLOW_DEFAULT_RETRY: UniformRetry = {
  kind: 'uniform',
  attempts: 0,
  delaySeconds: 300,
  backoff: 'fixed',
  maxDelaySeconds: undefined,
};

export function resolveUniformRetry(spec: RetryMapSpec | undefined, base: UniformRetry = AIRFLOW_DEFAULT_RETRY): UniformRetry {
  if (spec === undefined) return base;
  return {
    kind: 'uniform',
    attempts: spec.attempts ?? base.attempts,
    delaySeconds: spec.delay === undefined ? base.delaySeconds : (parseDuration(spec.delay) ?? base.delaySeconds),
    backoff: spec.backoff ?? base.backoff,
    maxDelaySeconds: spec.max_delay === undefined ? base.maxDelaySeconds : parseDuration(spec.max_delay),
  };
}

/**
 * Airflow's own retries of a task with retry policies: for failures that are not service
 * problems (a worker lost mid-call, a task timeout, a trigger that crashed). Service problems
 * never reach them: the operator retries what a policy matches and raises
 * AirflowFailException, which Airflow never retries, for the rest.
 */
export const INFRASTRUCTURE_RETRIES = 2;

export function infrastructureRetry(policies: readonly RetryPolicy[]): UniformRetry {
  return { kind: 'uniform', attempts: INFRASTRUCTURE_RETRIES, delaySeconds: policies[0]?.delaySeconds || AIRFLOW_DEFAULT_RETRY.delaySeconds, backoff: 'fixed', maxDelaySeconds: undefined };
}

export function resolveRetry(spec: RetryMapSpec | readonly RetryPolicySpec[] | undefined, defaults: UniformRetry): RetryModel {
  if (!Array.isArray(spec)) return resolveUniformRetry(spec as RetryMapSpec | undefined, defaults);
  return {
    kind: 'policies',
    policies: (spec as readonly RetryPolicySpec[]).map((policy) => ({
      on: policy.on,
      attempts: policy.attempts,
      delaySeconds: policy.delay === undefined ? 0 : (parseDuration(policy.delay) ?? 0),
      backoff: policy.backoff ?? 'fixed',
      maxDelaySeconds: policy.max_delay === undefined ? undefined : parseDuration(policy.max_delay),
    })),
  };
}
