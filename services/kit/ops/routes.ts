import type { Router } from 'express';
import { HttpProblem } from '../errors/http-problem.js';
import type { ReadinessCheck } from '../service-module.js';
import type { KitMetrics } from './metrics.js';
import { checkReadiness } from './readiness.js';

export interface OpsOptions {
  readonly checks: readonly ReadinessCheck[];
  readonly metrics: KitMetrics;
  readonly openapi: () => Record<string, unknown>;
  readonly isDraining: () => boolean;
  readonly readinessTimeoutMs?: number;
}

/** `/healthz`, `/readyz`, `/metrics`, `/openapi.json`: no token needed. */
export function mountOps(router: Router, options: OpsOptions): void {
  let openapi: Record<string, unknown> | undefined;
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (options.isDraining()) throw new HttpProblem('Service.ShuttingDown', { detail: 'draining after SIGTERM' });
    const report = await checkReadiness(options.checks, options.readinessTimeoutMs ?? 2000);
    if (!report.ready) {
      const failed = Object.entries(report.checks).filter(([, r]) => r !== 'ok');
      throw new HttpProblem('Service.DependencyUnavailable', {
        detail: failed.map(([name, reason]) => `${name}: ${reason}`).join('; '),
      });
    }
    res.json({ status: 'ready', checks: report.checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  router.get('/openapi.json', (_req, res) => {
    openapi ??= options.openapi();
    res.json(openapi);
  });
}
