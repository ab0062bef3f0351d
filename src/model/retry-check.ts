/**
 * Checks of retry settings that the schema cannot express: policy codes that nothing
 * reports (a typo would validate and then never match), and settings Airflow ignores.
 */
import { errorPatternCandidates, isKnownErrorPattern, knownErrorCodes } from '../contract/index.js';
import type { SpecDiagnostic } from '../spec/diagnostics.js';
import { didYouMean } from '../spec/did-you-mean.js';
import type { SpecPath, SpecSource } from '../spec/source.js';
import type { RetryMapSpec, RetryPolicySpec } from '../spec/types.js';

/** Task types whose operators implement per-error retry policies (docs/service-protocol.md). */
export const POLICY_TASK_TYPES: ReadonlySet<string> = new Set(['bookmark', 'dq_check', 'load', 'http']);

export interface RetryCodeChecker {
  /** Diagnostics for the `on` codes of a list-form retry at `path`. */
  (retry: RetryMapSpec | readonly RetryPolicySpec[] | undefined, path: SpecPath): SpecDiagnostic[];
}

/** A checker for one spec: the codes dagwright knows, plus the spec's own `error_codes`. */
export function retryCodeChecker(source: SpecSource, custom: readonly string[] | undefined): RetryCodeChecker {
  const known = knownErrorCodes(custom ?? []);
  const candidates = errorPatternCandidates(known);
  return (retry, path) => {
    if (!Array.isArray(retry)) return [];
    const diagnostics: SpecDiagnostic[] = [];
    (retry as readonly RetryPolicySpec[]).forEach((policy, index) => {
      policy.on.forEach((code, at) => {
        if (isKnownErrorPattern(code, known)) return;
        diagnostics.push(
          source.diagnostic(
            'retry.unknown-code',
            `no service or operator reports "${code}", so this policy would never match${didYouMean(code, candidates)} (codes: docs/service-protocol.md; declare codes of your own in error_codes)`,
            [...path, index, 'on', at],
          ),
        );
      });
    });
    return diagnostics;
  };
}

/**
 * Airflow caps the wait with `max_retry_delay` only under `retry_exponential_backoff`: with
 * fixed backoff every retry waits `delay`, so a `max_delay` the user wrote there does
 * nothing. A warning, at the `max_delay` of a map-form retry whose backoff is fixed.
 */
export function checkMaxDelay(source: SpecSource, retry: RetryMapSpec | readonly RetryPolicySpec[] | undefined, backoff: 'fixed' | 'exponential', path: SpecPath): SpecDiagnostic[] {
  if (retry === undefined || Array.isArray(retry)) return [];
  const map = retry as RetryMapSpec;
  if (map.max_delay === undefined || backoff !== 'fixed') return [];
  return [
    {
      ...source.diagnostic(
        'retry.max-delay-ignored',
        `max_delay only caps exponential backoff: with backoff fixed, Airflow ignores it and every retry waits delay; set backoff: exponential, or remove max_delay`,
        [...path, 'max_delay'],
        'key',
      ),
      severity: 'warning',
    },
  ];
}
