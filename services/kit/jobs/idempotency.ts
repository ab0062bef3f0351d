import { Problem } from '../errors/problem.js';
import type { JobRecord } from './types.js';

/** What a POST with an Idempotency-Key does, given the latest job for that key (protocol, "Idempotency"). */
export type KeyDecision =
  | { readonly kind: 'new'; readonly attempt: number }
  | { readonly kind: 'replay'; readonly job: JobRecord }
  | { readonly kind: 'conflict' };

/**
 * A failed job never sticks, whatever the new body: after a fix (a regenerated spec, a cleared
 * task) the request under the same key is the next attempt. Only a job that succeeded or may
 * still succeed (queued, running) holds its key: the same body replays it, another conflicts.
 */
export function decideForKey(latest: JobRecord | undefined, fingerprint: string): KeyDecision {
  if (!latest) return { kind: 'new', attempt: 1 };
  if (latest.status === 'failed') return { kind: 'new', attempt: latest.attempt + 1 };
  if (latest.fingerprint !== fingerprint) return { kind: 'conflict' };
  return { kind: 'replay', job: latest };
}

export function conflictProblem(key: string): Problem {
  return new Problem('Idempotency.Conflict', {
    detail: `Idempotency-Key ${JSON.stringify(key)} was used before with a different request`,
  });
}
