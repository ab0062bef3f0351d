import { Counter } from 'prom-client';
import type { KitMetrics } from '../kit/ops/metrics.js';

/** The bookmarks service's own Prometheus counters, in the kit's registry. */
export interface BookmarksMetrics {
  /** One ListObjectsV2 call made by a bookmark run. */
  listed(): void;
}

export function bookmarksMetrics(metrics: KitMetrics): BookmarksMetrics {
  const registers = [metrics.registry];
  // The one service metric outside dagwright_<service>_*: its name is public (dashboards), so it stays.
  const listCalls = new Counter({ name: 'dagwright_s3_list_calls_total', help: 'ListObjectsV2 calls made by bookmark runs', registers });
  return { listed: () => listCalls.inc() };
}
