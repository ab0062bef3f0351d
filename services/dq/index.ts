import { tmpdir } from 'node:os';
import path from 'node:path';
import { GlueClient } from '@aws-sdk/client-glue';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Counter } from 'prom-client';
import type { KitMetrics } from '../kit/ops/metrics.js';
import type { ReadinessCheck, ServiceModule } from '../kit/service-module.js';
import type { StateBackend } from '../kit/state/open-state.js';
import { GlueOffload } from './glue/glue-offload.js';
import { DEFAULT_LIMITS, parseSize, type EvaluationLimits } from './isolation/limits.js';
import { dqModule } from './module.js';
import { DqService } from './service/dq-service.js';
import { prepareWorkDir } from './service/scratch.js';
import { LocalStorage } from './storage/local-storage.js';
import type { ObjectStorage } from './storage/object-storage.js';
import type { PublishFaults } from './storage/publish.js';
import { S3Storage } from './storage/s3-storage.js';
import { s3ManifestReader, writeManifest } from '../kit/batch-manifest/index.js';
import { openDqStore } from './store/open-dq-store.js';
import type { DqStore } from './store/types.js';

export { dqModule } from './module.js';
export { DqService } from './service/dq-service.js';

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

export interface DqServiceHandle {
  readonly module: ServiceModule;
  readonly service: DqService;
  readonly store: DqStore;
  close(): Promise<void>;
}

/**
 * Test-only fault injection for real-process crash tests: `DAGWRIGHT_FAULT_DQ_PAUSE_AFTER`
 * = `upload:<failed|passed>` or `copy:<failed|passed>` stops the process (for
 * `DAGWRIGHT_FAULT_DQ_PAUSE_MS`) after that step of publishing, once, and says so on stderr;
 * the test kills it there.
 */
function faultsFromEnv(env: NodeJS.ProcessEnv): PublishFaults | undefined {
  const at = env.DAGWRIGHT_FAULT_DQ_PAUSE_AFTER;
  if (!at) return undefined;
  const [step, which] = at.split(':');
  const ms = Number(env.DAGWRIGHT_FAULT_DQ_PAUSE_MS ?? 60_000);
  let done = false;
  const pause = (f: { file: string }) => {
    if (done || !path.basename(f.file).startsWith(which ?? '')) return;
    done = true;
    process.stderr.write(`fault: paused after ${step} of ${path.basename(f.file)}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  };
  return step === 'upload' ? { afterUpload: pause } : { afterCopy: pause };
}

function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not ${JSON.stringify(raw)}`);
  return n;
}

/** A size variable (`500MB`, `2GiB`), in bytes; `undefined` when unset. */
function size(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const bytes = parseSize(raw);
  if (bytes === undefined) throw new Error(`${name} must be a size such as 500MB or 2GiB, not ${JSON.stringify(raw)}`);
  return bytes;
}

/** The most one evaluation may take: `DAGWRIGHT_DQ_TIME_LIMIT_SECONDS`, `DAGWRIGHT_DQ_MEMORY_LIMIT`, `DAGWRIGHT_DQ_SPILL_LIMIT`. */
function maxLimits(env: NodeJS.ProcessEnv): EvaluationLimits {
  const seconds = positive(env, 'DAGWRIGHT_DQ_TIME_LIMIT_SECONDS');
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
export async function createDqService(config: DqConfig): Promise<DqServiceHandle> {
  const { env } = config;
  const store = openDqStore(config.state);
  await store.migrate();
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = env.DAGWRIGHT_S3_ENDPOINT;
  const client = new S3Client({ region, ...(endpoint ? { endpoint, forcePathStyle: true } : {}) });
  const workDir = prepareWorkDir(env.DAGWRIGHT_DQ_WORK_DIR ?? path.join(tmpdir(), 'dagwright-dq'));
  const workMaxBytes = positive(env, 'DAGWRIGHT_DQ_WORK_MAX_BYTES');
  const rows = new Counter({ name: 'dagwright_dq_rows_total', help: 'Rows evaluated, by disposition', labelNames: ['disposition'], registers: [config.metrics.registry] });
  const results = new Counter({ name: 'dagwright_dq_rule_results_total', help: 'Rule results, by result', labelNames: ['result'], registers: [config.metrics.registry] });
  const pollMs = positive(env, 'DAGWRIGHT_DQ_GLUE_POLL_MS');
  const glue = config.glue ?? new GlueOffload(new GlueClient({ region }), { ...(env.DAGWRIGHT_DQ_GLUE_ROLE ? { roleArn: env.DAGWRIGHT_DQ_GLUE_ROLE } : {}), ...(pollMs !== undefined ? { pollMs } : {}) });
  const threads = positive(env, 'DAGWRIGHT_DQ_THREADS');
  const faults = config.faults ?? faultsFromEnv(env);
  const service = new DqService({
    store,
    storages: { s3: config.s3 ?? new S3Storage(client), file: new LocalStorage(), manifests: s3ManifestReader(client) },
    writeManifest: async (at, entries, source) => {
      const { sha256: _digest, ...ref } = await writeManifest(client, at, entries, source);
      return ref;
    },
    workDir,
    ...(workMaxBytes !== undefined ? { workMaxBytes } : {}),
    localRoots: (env.DAGWRIGHT_DQ_LOCAL_ROOTS ?? '').split(':').filter(Boolean),
    glue,
    ...(env.DAGWRIGHT_DQ_OUTPUT ? { outputRoot: env.DAGWRIGHT_DQ_OUTPUT } : {}),
    ...(env.DAGWRIGHT_DQ_DEFAULT_BUCKET ? { defaultBucket: env.DAGWRIGHT_DQ_DEFAULT_BUCKET } : {}),
    ...(threads !== undefined ? { threads } : {}),
    limits: maxLimits(env),
    ...(config.now ? { now: config.now } : {}),
    ...(faults !== undefined ? { faults } : {}),
    onEvaluated: (r) => {
      rows.inc({ disposition: 'passed' }, r.rows_passed);
      rows.inc({ disposition: 'quarantined' }, r.rows_quarantined);
      for (const rule of r.rules) results.inc({ result: rule.result });
    },
  });
  const readiness: ReadinessCheck[] = [{ name: 'dq-store', check: () => store.ping() }];
  const readyBucket = env.DAGWRIGHT_S3_READY_BUCKET;
  if (readyBucket) readiness.push({ name: 's3', check: async () => void (await client.send(new HeadBucketCommand({ Bucket: readyBucket }))) });
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
