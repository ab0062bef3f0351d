import type { RequestHandler } from 'express';
import { Problem } from '../../errors/problem.js';

export interface DrainingOptions {
  readonly isDraining: () => boolean;
  readonly retryAfterSeconds?: number;
}

/**
 * After SIGTERM the service takes no new work: every request that could
 * start or change something gets `503 Service.ShuttingDown`. Reads (GET,
 * HEAD) still pass, so clients can fetch the jobs that are finishing.
 */
export function draining(options: DrainingOptions): RequestHandler {
  return (req, _res, next) => {
    if (options.isDraining() && req.method !== 'GET' && req.method !== 'HEAD') {
      next(
        new Problem('Service.ShuttingDown', {
          detail: 'the service is shutting down; retry against another replica or after restart',
          ...(options.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: options.retryAfterSeconds }),
        }),
      );
      return;
    }
    next();
  };
}
