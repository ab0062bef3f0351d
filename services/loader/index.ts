import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from 'pino';
import { text } from '../kit/config/index.js';
import { createLogger } from '../kit/logging.js';
import type { KitMetrics } from '../kit/ops/metrics.js';
import { s3FromEnv, s3Readiness } from '../kit/s3/from-env.js';
import type { ServiceModule } from '../kit/service-module.js';
import { loadWarehouses, type WarehouseConfig } from './config/warehouses.js';
import { s3ManifestReader } from '../kit/batch-manifest/index.js';
import { NO_HOOKS, type LoadHooks } from './domain/hooks.js';
import type { ObjectSource } from './objects/object-source.js';
import { S3ObjectSource } from './objects/s3-object-source.js';
import { ParquetTools } from './source/parquet.js';
import { loaderMetrics } from './metrics.js';
import { loaderModule } from './module.js';
import { openTarget, type TargetDeps } from './target/open-target.js';
import type { WarehouseTarget } from './target/target.js';

export { loaderModule } from './module.js';
export type { LoadInput, LoadResult } from './domain/types.js';
export type { WarehouseConfig } from './config/warehouses.js';
export type { LoadHooks, LoadCheckpoint } from './domain/hooks.js';
export type { WarehouseTarget } from './target/target.js';

export interface LoaderConfig {
  /** The service's logger; a JSON logger on stdout by default. */
  readonly log?: Logger;
  /** The app's metrics: the loader adds its counters (`dagwright_loader_*`) to the registry. */
  readonly metrics?: KitMetrics;
  /** Where `DAGWRIGHT_WAREHOUSE_<NAME>`, `DAGWRIGHT_LOADER_SECRETS` and `DAGWRIGHT_S3_ENDPOINT` are read; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A secrets file (JSON), instead of `$DAGWRIGHT_LOADER_SECRETS`. */
  readonly secretsFile?: string;
  /** Warehouses given directly (tests), instead of env and file. */
  readonly warehouses?: ReadonlyMap<string, WarehouseConfig>;
  /** Ready-made targets by name (tests: Redshift with mocked AWS clients); they win over configs. */
  readonly targets?: ReadonlyMap<string, WarehouseTarget>;
  /** Clients for the targets built from config (tests). */
  readonly targetDeps?: Pick<TargetDeps, 'postgres' | 'redshift'>;
  readonly s3?: S3Client;
  readonly objects?: ObjectSource;
  /** Scratch space for downloads and FIFOs; by default a private folder under the OS temp dir, removed by `close()`. */
  readonly tempDir?: string;
  /** Where the embedded `default` DuckDB file lives: `$DAGWRIGHT_LOADER_DUCKDB`, else `./dagwright-warehouse.duckdb`. */
  readonly duckdbPath?: string;
  readonly hooks?: LoadHooks;
  /** Bound on `GET /v1/warehouses/{name}/availability`; 5 s by default. */
  readonly availabilityTimeoutMs?: number;
}

export interface LoaderHandle {
  /** What `createApp` takes: `POST /v1/loads`, `GET /v1/warehouses/{name}/availability`, readiness. */
  readonly module: ServiceModule;
  /** Configured warehouse names (never their credentials). */
  readonly warehouses: readonly string[];
  /** Closes pools, DuckDB files and clients; call last, after the job runner drained. */
  close(): Promise<void>;
}

/**
 * The loader service, ready to plug into the service kit:
 *
 *   const loader = await createLoaderService({ env, log, metrics });
 *   const app = createApp({ module: loader.module, runner, jobStore, tokens, log });
 *   // on shutdown, after runner.drain(): await loader.close()
 */
export async function createLoaderService(options: LoaderConfig = {}): Promise<LoaderHandle> {
  const env = options.env ?? process.env;
  const log = options.log ?? createLogger({ service: 'loader' });
  const ownTempDir = options.tempDir === undefined;
  const tempDir = options.tempDir ?? mkdtempSync(join(tmpdir(), 'dagwright-loader-'));
  mkdirSync(tempDir, { recursive: true, mode: 0o700 });
  const configs =
    options.warehouses ??
    loadWarehouses({
      env,
      ...(options.secretsFile ? { secretsFile: options.secretsFile } : {}),
      defaultDuckdbPath: resolve(options.duckdbPath ?? text(env, 'DAGWRIGHT_LOADER_DUCKDB') ?? 'dagwright-warehouse.duckdb'),
    });
  const parquet = new ParquetTools(tempDir);
  const targets = new Map<string, WarehouseTarget>();
  const owned: WarehouseTarget[] = [];
  for (const [name, config] of configs) {
    if (options.targets?.has(name)) continue;
    const target = openTarget(name, config, { parquet, tempDir, ...options.targetDeps });
    targets.set(name, target);
    owned.push(target);
  }
  for (const [name, target] of options.targets ?? []) targets.set(name, target);
  const s3 = options.s3 ?? s3FromEnv(env);
  const objects = options.objects ?? new S3ObjectSource(s3);
  log.info({ warehouses: [...targets.values()].map((t) => ({ name: t.name, type: t.kind })) }, 'loader warehouses');

  const module = loaderModule({
    targets,
    load: { objects, parquet, tempDir, hooks: options.hooks ?? NO_HOOKS, manifests: s3ManifestReader(s3) },
    metrics: loaderMetrics(options.metrics),
    readiness: [{ name: 'loader-tempdir', check: async () => accessSync(tempDir, constants.W_OK) }, ...s3Readiness(s3, env)],
    availabilityTimeoutMs: options.availabilityTimeoutMs ?? 5000,
  });
  return {
    module,
    warehouses: [...targets.keys()].sort(),
    async close() {
      for (const target of owned) await target.close().catch((err: unknown) => log.warn({ err, warehouse: target.name }, 'closing warehouse failed'));
      await parquet.close();
      if (ownTempDir) rmSync(tempDir, { recursive: true, force: true });
      if (!options.s3) s3.destroy();
    },
  };
}
