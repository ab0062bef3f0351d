import type { RequestHandler } from 'express';
import { Problem } from '../../errors/problem.js';
import { exceedsDepth, MAX_JSON_DEPTH } from './depth.js';

export { MAX_JSON_DEPTH } from './depth.js';

export interface JsonBodyOptions {
  /** Body used when a request sends none; `{}` by default. */
  readonly emptyBody?: () => unknown;
  /** Deepest nesting of arrays and objects; `MAX_JSON_DEPTH` by default. */
  readonly maxDepth?: number;
}

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/**
 * Parses `res.locals.rawBody` (see body-limit) as JSON into `req.body`. A
 * non-empty body that is not declared JSON gives `415`; JSON that does not
 * parse gives `400 Request.Invalid`.
 */
export function jsonBody(options: JsonBodyOptions = {}): RequestHandler {
  const empty = options.emptyBody ?? (() => ({}));
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  return (req, res, next) => {
    const raw = res.locals.rawBody;
    if (!raw || raw.length === 0) {
      req.body = empty();
      next();
      return;
    }
    const type = req.headers['content-type'] ?? '';
    if (!JSON_TYPE.test(type)) {
      next(
        new Problem('Request.UnsupportedMediaType', {
          detail: `the body must be application/json, not ${type === '' ? 'undeclared' : JSON.stringify(type.split(';')[0])}`,
        }),
      );
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      next(
        new Problem('Request.Invalid', {
          detail: 'the body is not valid JSON',
          errors: [{ path: '', message: (err as Error).message }],
        }),
      );
      return;
    }
    if (exceedsDepth(body, maxDepth)) {
      const message = `arrays and objects are nested deeper than ${maxDepth} levels`;
      next(new Problem('Request.Invalid', { detail: `the body's ${message}`, errors: [{ path: '', message }] }));
      return;
    }
    req.body = body;
    next();
  };
}
