import type { RequestHandler } from 'express';
import { Problem } from '../../errors/problem.js';

/**
 * A path whose percent-encoding does not decode (`/v1/jobs/%`, `%E0%A4%A`) gives
 * `400 Request.Invalid` before any route sees it (express would throw a URIError while
 * decoding a route parameter). The detail does not echo the path.
 */
export function pathEncoding(): RequestHandler {
  return (req, _res, next) => {
    try {
      decodeURIComponent(req.path);
    } catch {
      next(new Problem('Request.Invalid', { detail: 'the request path has a malformed percent-encoding', errors: [{ path: '/path', message: 'is not valid percent-encoded UTF-8' }] }));
      return;
    }
    next();
  };
}
