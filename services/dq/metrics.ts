import { Counter } from 'prom-client';
import type { KitMetrics } from '../kit/ops/metrics.js';
import type { EvaluationResult } from './domain/types.js';

/** The dq service's own Prometheus counters, in the kit's registry. */
export interface DqMetrics {
  evaluated(result: EvaluationResult): void;
}

export function dqMetrics(metrics: KitMetrics): DqMetrics {
  const registers = [metrics.registry];
  const rows = new Counter({ name: 'dagwright_dq_rows_total', help: 'Rows evaluated, by disposition', labelNames: ['disposition'], registers });
  const results = new Counter({ name: 'dagwright_dq_rule_results_total', help: 'Rule results, by result', labelNames: ['result'], registers });
  return {
    evaluated(r) {
      rows.inc({ disposition: 'passed' }, r.rows_passed);
      rows.inc({ disposition: 'quarantined' }, r.rows_quarantined);
      for (const rule of r.rules) results.inc({ result: rule.result });
    },
  };
}
