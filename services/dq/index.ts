import { tmpdir } from 'node:os';
import path from 'node:path';
import { GlueClient } from '@aws-sdk/client-glue';
import { list, positiveInt, size, text, type Env } from '../kit/config/index.js';
import type { KitMetrics } from '../kit/ops/metrics.js';
import { awsRegion, s3FromEnv, s3Readiness } from '../kit/s3/from-env.js';
import type { ReadinessCheck, ServiceModule } from '../kit/service-module.js';
import type { StateBackend } from '../kit/state/open-state.js';
import { GlueOffload } from './glue/glue-offload.js';
import { DEFAULT_LIMITS, type EvaluationLimits } from './isolation/limits.js';
import { dqMetrics } from './metrics.js';
import { dqModule } from './module.js';
import { DqService } from './domain/dq-service.js';
import { prepareWorkDir } from './domain/scratch.js';
import { LocalObjectStorage } from './objects/local-object-storage.js';
import type { ObjectStorage } from './objects/object-storage.js';
import type { PublishFaults } from './objects/publish.js';
import { S3ObjectStorage } from './objects/s3-object-storage.js';
import { s3ManifestReader, writeManifest } from '../kit/batch-manifest/index.js';
import { openDqStore } from './store/open-dq-store.js';
import type { DqStore } from './store/types.js';

export { dqModule } from './module.js';
export { DqService } from './domain/dq-service.js';

export interface DqConfig {
  readonly state: StateBackend;
  readonly metrics: KitMetrics;
  readonly env: NodeJS.ProcessEnv;
  /** Overrides for tests. */
  readonly s3?: ObjectStorage;
  readonly glue?: GlueOffload;
  readonly now?: () => Date;
  readonly faults?: PublishFaults;
}

export interface DqHandle {
  readonly module: ServiceModule;
  readonly service: DqService;
  readonly store: DqStore;
  close(): Promise<void>;
}

/** The most one evaluation may take: `DAGWRIGHT_DQ_TIME_LIMIT_SECONDS`, `DAGWRIGHT_DQ_MEMORY_LIMIT`, `DAGWRIGHT_DQ_SPILL_LIMIT`. */
function maxLimits(env: Env): EvaluationLimits {
  const seconds = positiveInt(env, 'DAGWRIGHT_DQ_TIME_LIMIT_SECONDS');
  return {
    timeMs: seconds !== undefined ? seconds * 1000 : DEFAULT_LIMITS.timeMs,
    memoryBytes: size(env, 'DAGWRIGHT_DQ_MEMORY_LIMIT') ?? DEFAULT_LIMITS.memoryBytes,
    spillBytes: size(env, 'DAGWRIGHT_DQ_SPILL_LIMIT') ?? DEFAULT_LIMITS.spillBytes,
  };
}

/**
 * Builds the dq service from configuration:
 * - S3 through the AWS SDK (`AWS_REGION`, the usual credential chain; `DAGWRIGHT_S3_ENDPOINT`
 *   for an S3-compatible endpoint, path-style); `DAGWRIGHT_S3_READY_BUCKET` for /readyz;
 * - `DAGWRIGHT_DQ_OUTPUT`: root of passed/ and quarantine/ (default: the dataset's bucket, `_dagwright/dq/`);
 * - `DAGWRIGHT_DQ_DEFAULT_BUCKET`: the bucket of batch objects that name none;
 * - `DAGWRIGHT_DQ_LOCAL_ROOTS`: `:`-separated directories local datasets and outputs may be in (none by default);
 * - `DAGWRIGHT_DQ_WORK_DIR` (scratch: cleaned of stopped processes' files at start),
 *   `DAGWRIGHT_DQ_WORK_MAX_BYTES` (the bytes evaluations may download at once, 10 GiB by default),
 *   `DAGWRIGHT_DQ_THREADS` (DuckDB);
 * - `DAGWRIGHT_DQ_TIME_LIMIT_SECONDS` (default 900), `DAGWRIGHT_DQ_MEMORY_LIMIT` (default 2GiB): the most
 *   one evaluation may take, held by running it in a child process that is killed at either;
 *   `DAGWRIGHT_DQ_SPILL_LIMIT` (default 10GiB): the most its DuckDB may spill to disk;
 * - `DAGWRIGHT_DQ_GLUE_ROLE`, `DAGWRIGHT_DQ_GLUE_POLL_MS`: AWS Glue Data Quality offload.
 */
export async function createDqService(config: DqConfig): Promise<DqHandle> {
  const { env } = config;
  const store = openDqStore(config.state);
  await store.migrate();
  const client = s3FromEnv(env);
  const workDir = prepareWorkDir(text(env, 'DAGWRIGHT_DQ_WORK_DIR') ?? path.join(tmpdir(), 'dagwright-dq'));
  const workMaxBytes = positiveInt(env, 'DAGWRIGHT_DQ_WORK_MAX_BYTES');
  const metrics = dqMetrics(config.metrics);
  const pollMs = positiveInt(env, 'DAGWRIGHT_DQ_GLUE_POLL_MS');
  const roleArn = text(env, 'DAGWRIGHT_DQ_GLUE_ROLE');
  const glue = config.glue ?? new GlueOffload(new GlueClient({ region: awsRegion(env) }), { ...(roleArn ? { roleArn } : {}), ...(pollMs !== undefined ? { pollMs } : {}) });
  const threads = positiveInt(env, 'DAGWRIGHT_DQ_THREADS');
  const { faults } = config;
  const outputRoot = text(env, 'DAGWRIGHT_DQ_OUTPUT');
  const defaultBucket = text(env, 'DAGWRIGHT_DQ_DEFAULT_BUCKET');
  const service = new DqService({
    store,
    storages: { s3: config.s3 ?? new S3ObjectStorage(client), file: new LocalObjectStorage(), manifests: s3ManifestReader(client) },
    writeManifest: async (at, entries, source) => {
      const { sha256: _digest, ...ref } = await writeManifest(client, at, entries, source);
      return ref;
    },
    workDir,
    ...(workMaxBytes !== undefined ? { workMaxBytes } : {}),
    localRoots: list(env, 'DAGWRIGHT_DQ_LOCAL_ROOTS', ':'),
    glue,
    ...(outputRoot ? { outputRoot } : {}),
    ...(defaultBucket ? { defaultBucket } : {}),
    ...(threads !== undefined ? { threads } : {}),
    limits: maxLimits(env),
    ...(config.now ? { now: config.now } : {}),
    ...(faults !== undefined ? { faults } : {}),
    onEvaluated: (r) => metrics.evaluated(r),
  });
  const readiness: ReadinessCheck[] = [{ name: 'dq-store', check: () => store.ping() }, ...s3Readiness(client, env)];
  return {
    module: dqModule({ service, store, readiness, ...(config.now ? { now: config.now } : {}) }),
    service,
    store,
    close: async () => {
      await service.close();
      client.destroy();
    },
  };
}
