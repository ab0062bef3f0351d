import type { Request, RequestHandler, Response, Router } from 'express';
import { Problem } from '../errors/problem.js';
import type { ReadinessCheck } from '../service-module.js';
import type { KitMetrics } from './metrics.js';
import { checkReadiness } from './readiness.js';

export interface OpsOptions {
  readonly checks: readonly ReadinessCheck[];
  readonly metrics: KitMetrics;
  readonly openapi: () => Record<string, unknown>;
  readonly isDraining: () => boolean;
  readonly readinessTimeoutMs?: number;
  /**
   * The API's authentication: a caller it accepts sees `/readyz`'s per-dependency detail
   * (names, hosts, ports, errors); anyone else only whether the service is ready.
   */
  readonly authenticate?: RequestHandler;
}

/** Whether `authenticate` accepts the request (it never answers it). */
function isAuthenticated(authenticate: RequestHandler | undefined, req: Request, res: Response): Promise<boolean> {
  if (authenticate === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      void authenticate(req, res, (err?: unknown) => resolve(err === undefined));
    } catch {
      resolve(false);
    }
  });
}

/** `/healthz`, `/readyz`, `/metrics`, `/openapi.json`: no token needed (a token shows `/readyz`'s detail). */
export function mountOps(router: Router, options: OpsOptions): void {
  let openapi: Record<string, unknown> | undefined;
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    if (options.isDraining()) throw new Problem('Service.ShuttingDown', { detail: 'draining after SIGTERM' });
    const report = await checkReadiness(options.checks, options.readinessTimeoutMs ?? 2000);
    const detailed = await isAuthenticated(options.authenticate, req, res);
    if (!report.ready) {
      const failed = Object.entries(report.checks).filter(([, r]) => r !== 'ok');
      throw new Problem('Service.DependencyUnavailable', {
        detail: detailed ? failed.map(([name, reason]) => `${name}: ${reason}`).join('; ') : 'a dependency is unavailable (an authenticated request sees which)',
      });
    }
    res.json(detailed ? { status: 'ready', checks: report.checks } : { status: 'ready' });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  router.get('/openapi.json', (_req, res) => {
    openapi ??= options.openapi();
    res.json(openapi);
  });
}
