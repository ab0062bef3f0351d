import type { Router } from 'express';
import { Problem } from '../../kit/errors/problem.js';
import { requireScope } from '../../kit/scopes/middleware.js';
import type { WarehouseTarget } from '../target/target.js';
import { WAREHOUSE_NAME } from './schemas.js';

/**
 * `GET /v1/warehouses/{name}/availability`: `200 {"status": "available"}`, or
 * the problem that says why not (a 503 with Retry-After). Bounded by
 * `timeoutMs`, so a sensor polling it never hangs. Needs `run` and the warehouse in scope.
 */
export function mountLoaderRoutes(router: Router, targets: ReadonlyMap<string, WarehouseTarget>, timeoutMs: number): void {
  router.get('/warehouses/:name/availability', requireScope((req) => ({ verb: 'run', warehouse: String(req.params.name) })), async (req, res) => {
    const name = String(req.params.name);
    const target = WAREHOUSE_NAME.test(name) ? targets.get(name) : undefined;
    if (!target) throw new Problem('Resource.NotFound', { detail: `no warehouse named ${JSON.stringify(name.slice(0, 64))} is configured` });
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Problem('Warehouse.Unavailable', { detail: `warehouse ${name} did not answer within ${timeoutMs} ms` }));
      }, timeoutMs);
    });
    try {
      await Promise.race([target.availability.check(controller.signal), timeout]);
    } catch (err) {
      throw target.errors.classify(err) ?? new Problem('Warehouse.Unavailable', { detail: `warehouse ${name} is not available`, cause: err });
    } finally {
      clearTimeout(timer);
    }
    res.json({ status: 'available', warehouse: name, type: target.kind, checked_at: new Date().toISOString() });
  });
}
