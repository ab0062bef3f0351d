import { Counter } from 'prom-client';
import type { KitMetrics } from '../kit/ops/metrics.js';
import type { LoadResult } from './domain/types.js';

/** The loader's own Prometheus counters, in the kit's registry. */
export interface LoaderMetrics {
  loaded(warehouse: string, result: LoadResult): void;
  failed(warehouse: string, code: string): void;
}

export function loaderMetrics(metrics: KitMetrics | undefined): LoaderMetrics {
  if (!metrics) return { loaded: () => undefined, failed: () => undefined };
  const registers = [metrics.registry];
  const loads = new Counter({ name: 'dagwright_loader_loads_total', help: 'Loads by warehouse, mode and outcome (committed, replayed, or the problem code)', labelNames: ['warehouse', 'mode', 'outcome'], registers });
  const rows = new Counter({ name: 'dagwright_loader_rows_total', help: 'Rows by warehouse and what happened to them', labelNames: ['warehouse', 'what'], registers });
  const bytes = new Counter({ name: 'dagwright_loader_bytes_total', help: 'Bytes of S3 objects loaded', labelNames: ['warehouse'], registers });
  return {
    loaded(warehouse, r) {
      loads.inc({ warehouse, mode: r.mode, outcome: r.replayed ? 'replayed' : 'committed' });
      if (r.replayed) return;
      for (const what of ['loaded', 'inserted', 'updated', 'deleted'] as const) rows.inc({ warehouse, what }, r[`rows_${what}`]);
      bytes.inc({ warehouse }, r.bytes);
    },
    failed(warehouse, code) {
      loads.inc({ warehouse, mode: '', outcome: code });
    },
  };
}
