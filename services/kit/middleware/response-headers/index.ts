import type { RequestHandler } from 'express';

/**
 * Headers on every response: `X-Content-Type-Options: nosniff` (a browser must not
 * take a JSON or problem document for something else) and `Cache-Control: no-store`
 * (job states and problems are never cached by a proxy).
 */
export function responseHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
