import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { Problem, internalProblem, isProblem } from './problem.js';

export function sendProblem(res: Response, problem: Problem): void {
  if (problem.retryAfterSeconds !== undefined && (problem.status === 429 || problem.status === 503)) {
    res.setHeader('Retry-After', String(Math.max(0, Math.ceil(problem.retryAfterSeconds))));
  }
  if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem.toDocument()));
}

/** Unknown route → `Resource.NotFound`. Mount after every route. */
export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => {
    next(new Problem('Resource.NotFound', { detail: `no route for ${req.method} ${req.path}` }));
  };
}

/**
 * The final error handler: known problems are rendered as problem+json;
 * anything else is logged and answered with a bare, retryable 500.
 */
export function errorHandler(fallbackLog: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    let problem: Problem;
    if (isProblem(err)) {
      problem = err;
    } else {
      const log = res.locals.log ?? fallbackLog;
      log.error({ err }, 'unhandled error');
      problem = internalProblem();
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    sendProblem(res, problem);
  };
}
