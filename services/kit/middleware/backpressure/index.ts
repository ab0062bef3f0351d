import type { RequestHandler } from 'express';
import { Problem } from '../../errors/problem.js';

/** Anything that can say whether it has room for one more job. */
export interface Capacity {
  saturated(): boolean;
}

export interface BackpressureOptions {
  readonly capacity: Capacity;
  readonly retryAfterSeconds?: number;
}

/**
 * Refuses work with `429 Service.Busy` and `Retry-After` while the service
 * runs its maximum of concurrent jobs, instead of queueing without limit.
 * (The job runner checks again when it reserves a slot, so the limit holds
 * even when requests race past this early check.)
 */
export function backpressure(options: BackpressureOptions): RequestHandler {
  return (_req, _res, next) => {
    if (options.capacity.saturated()) {
      next(
        new Problem('Service.Busy', {
          detail: 'the service is running its maximum of concurrent jobs',
          ...(options.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: options.retryAfterSeconds }),
        }),
      );
      return;
    }
    next();
  };
}
