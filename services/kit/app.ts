import express, { type Express } from 'express';
import type { Logger } from 'pino';
import './context.js';
import { errorHandler, notFoundHandler } from './errors/handler.js';
import { mountJobEndpoint, mountJobRoutes } from './jobs/routes.js';
import type { JobRunner } from './jobs/runner.js';
import type { JobStore } from './jobs/types.js';
import { bearerAuth } from './middleware/auth/index.js';
import type { TokenSet } from './middleware/auth/tokens.js';
import { bodyLimit } from './middleware/body-limit/index.js';
import { draining } from './middleware/draining/index.js';
import { jsonBody } from './middleware/json-body/index.js';
import { pathEncoding } from './middleware/path-encoding/index.js';
import { requestId } from './middleware/request-id/index.js';
import { requestLog } from './middleware/request-log/index.js';
import { responseHeaders } from './middleware/response-headers/index.js';
import { createMetrics, type KitMetrics } from './ops/metrics.js';
import { buildOpenApi } from './ops/openapi.js';
import { mountOps } from './ops/routes.js';
import type { ScopePolicy } from './scopes/model.js';
import { publishedKind, type ServiceModule } from './service-module.js';

/** Shared flag: set when SIGTERM arrives. */
export interface Lifecycle {
  draining: boolean;
}

export interface AppDeps {
  readonly module: ServiceModule;
  readonly runner: JobRunner;
  /** The runner's store, checked by `/readyz`. */
  readonly jobStore: JobStore;
  readonly tokens: TokenSet;
  /** What each identity may do; unscoped when absent. */
  readonly scopes?: ScopePolicy;
  readonly log: Logger;
  readonly metrics?: KitMetrics;
  readonly lifecycle?: Lifecycle;
  /** Largest request body; 1 MiB by default. */
  readonly maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Builds a service's express app. It does not listen: tests call it
 * in-process, and `serve()` puts it behind a real server.
 *
 * Also registers the module's job handlers with the runner.
 */
export function createApp(deps: AppDeps): Express {
  const { module, runner, log } = deps;
  const metrics = deps.metrics ?? createMetrics({ service: module.name });
  const lifecycle = deps.lifecycle ?? { draining: false };
  const registered = new Set(runner.kinds());
  for (const ep of module.jobs) if (!registered.has(publishedKind(ep))) runner.register(publishedKind(ep), ep.handler);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestId({ log }), requestLog({ log, metrics }), responseHeaders(), pathEncoding());

  const ops = express.Router();
  mountOps(ops, {
    checks: [{ name: 'state', check: () => deps.jobStore.ping() }, ...(module.readiness ?? [])],
    metrics,
    openapi: () => buildOpenApi(module),
    isDraining: () => lifecycle.draining,
    authenticate: bearerAuth({ tokens: deps.tokens }),
  });
  app.use(ops);

  const v1 = express.Router();
  v1.use(
    draining({ isDraining: () => lifecycle.draining || !runner.isAccepting() }),
    bearerAuth({ tokens: deps.tokens, ...(deps.scopes ? { scopes: deps.scopes } : {}) }),
    bodyLimit({ maxBytes: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES }),
    jsonBody(),
  );
  mountJobRoutes(v1, runner);
  for (const ep of module.jobs) mountJobEndpoint(v1, runner, ep);
  module.routes?.(v1);
  app.use('/v1', v1);

  app.use(notFoundHandler());
  app.use(errorHandler(log));
  return app;
}
