import { GlueClient } from '@aws-sdk/client-glue';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import type { Counter } from 'prom-client';
import { Counter as PromCounter } from 'prom-client';
import type { KitMetrics } from '../kit/ops/metrics.js';
import type { ReadinessCheck, ServiceModule } from '../kit/service-module.js';
import type { StateBackend } from '../kit/state/open-state.js';
import { GlueBookmarks } from './glue/glue-bookmarks.js';
import { bookmarksModule } from './module.js';
import { S3BatchManifests, manifestRoot } from './s3/batch-manifests.js';
import { CountingLister, S3Lister, type ObjectLister } from './s3/lister.js';
import { BookmarkService } from './service.js';
import { openBookmarkStore } from './store/open-bookmark-store.js';
import type { StoreHooks } from './store/types.js';
import { PostgresTableReader } from './table/postgres-table-reader.js';
import type { TableReader } from './table/table-source.js';

export { bookmarksModule } from './module.js';
export { BookmarkService } from './service.js';

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

export interface BookmarksService {
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
export async function createBookmarksService(config: BookmarksConfig): Promise<BookmarksService> {
  const { env } = config;
  const store = openBookmarkStore(config.state, config.hooks ?? {});
  await store.migrate();
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = env.DAGWRIGHT_S3_ENDPOINT;
  const s3 = new S3Client({ region, ...(endpoint ? { endpoint, forcePathStyle: true } : {}) });
  const listCalls: Counter = new PromCounter({
    name: 'dagwright_s3_list_calls_total',
    help: 'ListObjectsV2 calls made by bookmark runs',
    registers: [config.metrics.registry],
  });
  const lister = new CountingLister(config.lister ?? new S3Lister(s3), () => listCalls.inc());

  const pools: pg.Pool[] = [];
  const tables: Record<string, TableReader> = { ...(config.tables ?? {}) };
  for (const entry of (env.DAGWRIGHT_TABLE_SOURCES ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new Error('DAGWRIGHT_TABLE_SOURCES entries are name=postgres://...');
    const pool = new pg.Pool({ connectionString: entry.slice(eq + 1), max: 4 });
    pool.on('error', () => undefined);
    pools.push(pool);
    tables[entry.slice(0, eq)] = new PostgresTableReader(pool);
  }

  const manifests = new S3BatchManifests(s3, manifestRootFromEnv(env.DAGWRIGHT_BOOKMARKS_MANIFEST_ROOT), inlineMaxFromEnv(env.DAGWRIGHT_BOOKMARKS_INLINE_MAX_OBJECTS));
  const service = new BookmarkService({ store, lister, tables, manifests, ...(config.now ? { now: config.now } : {}) });
  const readiness: ReadinessCheck[] = [];
  const readyBucket = env.DAGWRIGHT_S3_READY_BUCKET;
  if (readyBucket) readiness.push({ name: 's3', check: async () => void (await s3.send(new HeadBucketCommand({ Bucket: readyBucket }))) });
  for (const [name, reader] of Object.entries(tables)) readiness.push({ name: `table:${name}`, check: () => reader.ping() });
  const glue = config.glue ?? new GlueBookmarks(new GlueClient({ region }));

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

function inlineMaxFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,6}$/.test(value)) throw new Error(`DAGWRIGHT_BOOKMARKS_INLINE_MAX_OBJECTS must be a whole number of objects, not ${JSON.stringify(value)}`);
  return Number(value);
}
