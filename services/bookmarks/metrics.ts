import { Counter } from 'prom-client';
import type { KitMetrics } from '../kit/ops/metrics.js';

/** The bookmarks service's own Prometheus counters, in the kit's registry. */
export interface BookmarksMetrics {
  /** One ListObjectsV2 call made by a bookmark run. */
  listed(): void;
}

export function bookmarksMetrics(metrics: KitMetrics): BookmarksMetrics {
  const registers = [metrics.registry];
  const help = 'ListObjectsV2 calls made by bookmark runs';
  const listCalls = new Counter({ name: 'dagwright_bookmarks_s3_list_calls_total', help, registers });
  // The name from before dagwright_<service>_*: dashboards read it, so it stays, counted identically.
  const listCallsDeprecated = new Counter({ name: 'dagwright_s3_list_calls_total', help: `${help} (deprecated: dagwright_bookmarks_s3_list_calls_total)`, registers });
  return {
    listed: () => {
      listCalls.inc();
      listCallsDeprecated.inc();
    },
  };
}
