import type { RequestHandler } from 'express';
import { Problem } from '../../errors/problem.js';
import { Access } from '../../scopes/access.js';
import { UNSCOPED, type ScopePolicy } from '../../scopes/model.js';
import type { TokenSet } from './tokens.js';

export interface BearerAuthOptions {
  readonly tokens: TokenSet;
  /** Unscoped (every identity may do everything) when absent. */
  readonly scopes?: ScopePolicy;
}

export { TokenSet, loadTokens, parseTokens } from './tokens.js';

/**
 * `Authorization: Bearer <token>` on every request it guards. A missing or
 * wrong token gives `401 Auth.Unauthorized`; the identity of a good one goes
 * to `res.locals.identity`, and its scopes to `res.locals.access`.
 */
export function bearerAuth(options: BearerAuthOptions): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer[ ]+([^\s]+)\s*$/i.exec(header) : null;
    const identity = match?.[1] ? options.tokens.identify(match[1]) : undefined;
    if (identity === undefined) {
      next(
        new Problem('Auth.Unauthorized', {
          detail: header === undefined ? 'missing bearer token' : 'invalid bearer token',
        }),
      );
      return;
    }
    res.locals.identity = identity;
    res.locals.access = Access.for(options.scopes ?? UNSCOPED, identity, res.locals.log);
    next();
  };
}
