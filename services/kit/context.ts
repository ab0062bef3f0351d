import type { Logger } from 'pino';
import type { Access } from './scopes/access.js';

/** What the kit's middleware puts on `res.locals` for the handlers after it. */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set by the request-id middleware. */
      requestId?: string;
      /** A child logger bound to the request id. */
      log?: Logger;
      /** The identity (name) of the bearer token, set by the auth middleware. */
      identity?: string;
      /** What the identity may do, set by the auth middleware. */
      access?: Access;
      /** The raw body, set by the body-limit middleware. */
      rawBody?: Buffer;
    }
  }
}

export {};
