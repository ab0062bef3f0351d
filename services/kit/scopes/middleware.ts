import type { Request, RequestHandler, Response } from 'express';
import { Access, type Need } from './access.js';
import { UNSCOPED } from './model.js';

/** The request's access (set by the auth middleware); unscoped for an unauthenticated test app. */
export function accessOf(res: Response): Access {
  return res.locals.access ?? Access.for(UNSCOPED, res.locals.identity ?? 'anonymous', res.locals.log);
}

/**
 * A route guard: `router.get('/bookmarks/:name', validate(...), requireScope((req) => ({verb: 'read', bookmark: req.params.name})), ...)`.
 * Mount it after validation, so the need is built from a well-formed request.
 */
export function requireScope(need: Need | ((req: Request) => Need)): RequestHandler {
  return (req, res, next) => {
    accessOf(res).require(typeof need === 'function' ? need(req) : need);
    next();
  };
}
