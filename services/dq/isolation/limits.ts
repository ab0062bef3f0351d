/**
 * An evaluation's limits: wall-clock time, memory (the resident memory of the process it
 * runs in, DuckDB included) and the disk DuckDB's spill files may take. The service has a
 * maximum of each; a request may ask for less time and memory, never more.
 */
import { Problem } from '../../kit/errors/problem.js';

export interface EvaluationLimits {
  readonly timeMs: number;
  readonly memoryBytes: number;
  /** What DuckDB may spill to disk (its `max_temp_directory_size`). */
  readonly spillBytes: number;
}

export const DEFAULT_LIMITS: EvaluationLimits = { timeMs: 15 * 60_000, memoryBytes: 2 * 1024 ** 3, spillBytes: 10 * 1024 ** 3 };

/** What a request may ask for (`limits` in the body). */
export interface RequestedLimits {
  readonly time_seconds?: number;
  readonly memory_mb?: number;
}

const MB = 1000 ** 2;

/** The limits of one evaluation: the request's, which may not pass the service's maximum. */
export function limitsFor(requested: RequestedLimits | undefined, max: EvaluationLimits): EvaluationLimits {
  const errors: { path: string; message: string }[] = [];
  if (requested?.time_seconds !== undefined && requested.time_seconds * 1000 > max.timeMs) {
    errors.push({ path: '/limits/time_seconds', message: `may not exceed the service's maximum of ${max.timeMs / 1000} seconds` });
  }
  if (requested?.memory_mb !== undefined && requested.memory_mb * MB > max.memoryBytes) {
    errors.push({ path: '/limits/memory_mb', message: `may not exceed the service's maximum of ${Math.floor(max.memoryBytes / MB)} MB` });
  }
  if (errors.length > 0) throw new Problem('Request.Invalid', { detail: errors[0]!.message, errors });
  return {
    timeMs: requested?.time_seconds !== undefined ? requested.time_seconds * 1000 : max.timeMs,
    memoryBytes: requested?.memory_mb !== undefined ? requested.memory_mb * MB : max.memoryBytes,
    spillBytes: max.spillBytes,
  };
}

export const timeLimitExceeded = (limits: EvaluationLimits) =>
  new Problem('DQ.TimeLimitExceeded', { detail: `the evaluation ran longer than its limit of ${limits.timeMs / 1000} seconds and was stopped` });

export const memoryLimitExceeded = (limits: EvaluationLimits, usedBytes: number) =>
  new Problem('DQ.MemoryLimitExceeded', { detail: `the evaluation used ${Math.round(usedBytes / MB)} MB, more than its limit of ${Math.round(limits.memoryBytes / MB)} MB, and was stopped` });
