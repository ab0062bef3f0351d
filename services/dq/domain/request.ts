import { utcDate } from './run-date.js';
import type { EvaluationBody, EvaluationInput } from './types.js';

/**
 * Turns an evaluation request into the job's input: the body with its defaults resolved
 * (the run id falls back to the Idempotency-Key) and the date it was received.
 */
export function evaluationInput(body: EvaluationBody, key: string, now: Date): EvaluationInput {
  return {
    ...body,
    on_violation: body.on_violation ?? 'fail',
    pipeline: body.pipeline ?? 'default',
    run_id: body.run_id ?? key,
    engine: body.engine ?? 'duckdb',
    received_dt: utcDate(now),
  };
}
