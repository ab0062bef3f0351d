import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The kit's Prometheus metrics, in a registry of their own (one per app). */
export interface KitMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly jobsStarted: Counter<'kind'>;
  readonly jobsFinished: Counter<'kind' | 'status' | 'code'>;
  readonly jobsActive: Gauge;
  readonly jobDuration: Histogram<'kind' | 'status'>;
}

export interface MetricsOptions {
  readonly service: string;
  /** Process metrics (CPU, memory, event loop); off in tests. */
  readonly defaultMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions): KitMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'dagwright_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'dagwright_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'dagwright_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
    jobsStarted: new Counter({ name: 'dagwright_jobs_started_total', help: 'Jobs started', labelNames: ['kind'], registers }),
    jobsFinished: new Counter({
      name: 'dagwright_jobs_finished_total',
      help: 'Jobs finished, by final status and problem code',
      labelNames: ['kind', 'status', 'code'],
      registers,
    }),
    jobsActive: new Gauge({ name: 'dagwright_jobs_active', help: 'Jobs running now', registers }),
    jobDuration: new Histogram({
      name: 'dagwright_job_duration_seconds',
      help: 'Job duration',
      labelNames: ['kind', 'status'],
      buckets: [0.01, 0.1, 0.5, 1, 5, 30, 120, 600],
      registers,
    }),
  };
}
