import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

export interface RequestIdOptions {
  readonly log: Logger;
  readonly header?: string;
  readonly generate?: () => string;
}

const ACCEPTABLE = /^[\x21-\x7e]{1,200}$/;

/**
 * Every response carries `X-Request-Id`: the caller's value when it sent a
 * sane one, else a new one. Binds a child logger to the id.
 */
export function requestId(options: RequestIdOptions): RequestHandler {
  const header = (options.header ?? 'x-request-id').toLowerCase();
  const generate = options.generate ?? randomUUID;
  return (req, res, next) => {
    const incoming = req.headers[header];
    const id = typeof incoming === 'string' && ACCEPTABLE.test(incoming) ? incoming : generate();
    res.locals.requestId = id;
    res.locals.log = options.log.child({ request_id: id });
    res.setHeader('X-Request-Id', id);
    next();
  };
}
