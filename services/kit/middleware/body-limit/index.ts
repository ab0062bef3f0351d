import type { RequestHandler } from 'express';
import { Problem } from '../../errors/problem.js';

export interface BodyLimitOptions {
  /** Largest accepted body, in bytes. */
  readonly maxBytes: number;
}

/**
 * Reads the request body into `res.locals.rawBody`, refusing more than
 * `maxBytes` with `413 Request.TooLarge`. A declared `Content-Length` over the
 * limit is refused before a byte is read; a chunked body is cut off as soon as
 * it passes the limit. Either way the connection is closed afterwards.
 */
export function bodyLimit(options: BodyLimitOptions): RequestHandler {
  const { maxBytes } = options;
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') {
      res.locals.rawBody = Buffer.alloc(0);
      next();
      return;
    }
    const tooLarge = () => {
      res.setHeader('Connection', 'close');
      return new Problem('Request.TooLarge', { detail: `the body exceeds ${maxBytes} bytes` });
    };
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      next(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (err) {
        next(err);
        return;
      }
      res.locals.rawBody = Buffer.concat(chunks, size);
      next();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        finish(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (err: Error) => finish(err);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  };
}
