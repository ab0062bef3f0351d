import { GlueClient } from '@aws-sdk/client-glue';
import pg from 'pg';
import { pairs, text, wholeNumber } from '../kit/config/index.js';
import type { KitMetrics } from '../kit/ops/metrics.js';
import { awsRegion, s3FromEnv, s3Readiness } from '../kit/s3/from-env.js';
import type { ReadinessCheck, ServiceModule } from '../kit/service-module.js';
import type { StateBackend } from '../kit/state/open-state.js';
import { GlueBookmarks } from './glue/glue-bookmarks.js';
import { bookmarksMetrics } from './metrics.js';
import { bookmarksModule } from './module.js';
import { S3BatchManifests, manifestRoot } from './manifests/batch-manifests.js';
import { CountingObjectLister, type ObjectLister } from './objects/object-lister.js';
import { S3ObjectLister } from './objects/s3-object-lister.js';
import { BookmarkService } from './domain/bookmark-service.js';
import { openBookmarkStore } from './store/open-bookmark-store.js';
import type { StoreHooks } from './store/types.js';
import { PostgresTableReader } from './table/postgres-table-reader.js';
import type { TableReader } from './table/table-source.js';

export { bookmarksModule } from './module.js';
export { BookmarkService } from './domain/bookmark-service.js';

export interface BookmarksConfig {
  readonly state: StateBackend;
  readonly metrics: KitMetrics;
  readonly env: NodeJS.ProcessEnv;
  /** Overrides for tests: a lister instead of S3, table readers, Glue. */
  readonly lister?: ObjectLister;
  readonly tables?: Record<string, TableReader>;
  readonly glue?: GlueBookmarks;
  readonly hooks?: StoreHooks;
  readonly now?: () => Date;
}

export interface BookmarksHandle {
  readonly module: ServiceModule;
  readonly service: BookmarkService;
  close(): Promise<void>;
}

/**
 * Builds the bookmarks service from configuration:
 * - S3 through the AWS SDK (`AWS_REGION`, the usual credential chain;
 *   `DAGWRIGHT_S3_ENDPOINT` for an S3-compatible endpoint, path-style);
 * - table sources from `DAGWRIGHT_TABLE_SOURCES=name=postgres://...,...`;
 * - Glue through the AWS SDK;
 * - `DAGWRIGHT_S3_READY_BUCKET`: a bucket `/readyz` checks with HeadBucket;
 * - a batch of more than `DAGWRIGHT_BOOKMARKS_INLINE_MAX_OBJECTS` objects (default 1000) is
 *   answered as a manifest, written under `DAGWRIGHT_BOOKMARKS_MANIFEST_ROOT`
 *   (`s3://bucket/prefix`), else under `_dagwright/batches/` in the source's bucket.
 */
export async function createBookmarksService(config: BookmarksConfig): Promise<BookmarksHandle> {
  const { env } = config;
  const store = openBookmarkStore(config.state, config.hooks ?? {});
  await store.migrate();
  const s3 = s3FromEnv(env);
  const metrics = bookmarksMetrics(config.metrics);
  const lister = new CountingObjectLister(config.lister ?? new S3ObjectLister(s3), () => metrics.listed());

  const pools: pg.Pool[] = [];
  const tables: Record<string, TableReader> = { ...(config.tables ?? {}) };
  for (const [name, url] of pairs(env, 'DAGWRIGHT_TABLE_SOURCES')) {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pool.on('error', () => undefined);
    pools.push(pool);
    tables[name] = new PostgresTableReader(pool);
  }

  const inlineMax = wholeNumber(env, 'DAGWRIGHT_BOOKMARKS_INLINE_MAX_OBJECTS', { of: 'objects', max: 999_999 });
  const manifests = new S3BatchManifests(s3, manifestRootFromEnv(text(env, 'DAGWRIGHT_BOOKMARKS_MANIFEST_ROOT')), inlineMax);
  const service = new BookmarkService({ store, lister, tables, manifests, ...(config.now ? { now: config.now } : {}) });
  const readiness: ReadinessCheck[] = s3Readiness(s3, env);
  for (const [name, reader] of Object.entries(tables)) readiness.push({ name: `table:${name}`, check: () => reader.ping() });
  const glue = config.glue ?? new GlueBookmarks(new GlueClient({ region: awsRegion(env) }));

  return {
    module: bookmarksModule({ service, glue, readiness }),
    service,
    close: async () => {
      s3.destroy();
      await Promise.all(pools.map((p) => p.end()));
    },
  };
}

function manifestRootFromEnv(value: string | undefined): ReturnType<typeof manifestRoot> {
  try {
    return manifestRoot(value);
  } catch (err) {
    throw new Error(`DAGWRIGHT_BOOKMARKS_MANIFEST_ROOT: ${(err as { detail?: string }).detail ?? String(err)}`);
  }
}
