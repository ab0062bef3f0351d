import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { KitMetrics } from '../../ops/metrics.js';

export interface RequestLogOptions {
  readonly log: Logger;
  readonly metrics?: KitMetrics;
}

/**
 * One structured log line per request (method, route, status, duration,
 * identity), and the HTTP metrics. Headers are never logged, so neither are
 * tokens.
 */
export function requestLog(options: RequestLogOptions): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      options.metrics?.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      options.metrics?.httpDuration.observe({ method: req.method, route }, seconds);
      const log = res.locals.log ?? options.log;
      const fields = {
        method: req.method,
        path: req.path,
        route,
        status: res.statusCode,
        duration_ms: Math.round(seconds * 1000),
        identity: res.locals.identity,
      };
      if (res.statusCode >= 500) log.warn(fields, 'request failed');
      else log.info(fields, 'request');
    });
    next();
  };
}
