/**
 * The contract between specs and services: every value the spec schema allows for the
 * fields that reach a service (pipeline names, formats, load options, bookmark options, dq
 * fields) is either refused by `dagwright validate`, or — sent exactly as the generated
 * operator sends it — accepted by the service's own request handling (in-process apps:
 * the kit's ajv validation, then the service's own checks). No value may pass one side and
 * fail the other.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkSpec } from '../../src/compile/compile-spec.js';
import type { PipelineModel } from '../../src/model/types.js';
import { TASK_TYPE_PROPERTIES } from '../../src/spec/schema.js';
import { createBookmarksService } from '../../services/bookmarks/index.js';
import { MemoryBucket } from '../../services/bookmarks/testing/memory-bucket.js';
import { createDqService } from '../../services/dq/index.js';
import type { ObjectStorage } from '../../services/dq/objects/object-storage.js';
import { createApp } from '../../services/kit/app.js';
import { openJobStore } from '../../services/kit/jobs/open-job-store.js';
import { JobRunner } from '../../services/kit/jobs/runner.js';
import { TokenSet } from '../../services/kit/middleware/auth/tokens.js';
import { createMetrics } from '../../services/kit/ops/metrics.js';
import type { Job } from '../../services/kit/jobs/types.js';
import type { ServiceModule } from '../../services/kit/service-module.js';
import { waitForJob } from '../../services/kit/testing/poll.js';
import { openState, type StateBackend } from '../../services/kit/state/open-state.js';
import { createLoaderService } from '../../services/loader/index.js';
import { MemoryObjects } from '../../services/loader/testing/memory-objects.js';
import { BATCH_MANIFEST_PREFIX, formatOfName } from '../../src/contract/index.js';
import { isError } from '../../src/diagnostics/diagnostic.js';
import { idempotencyKey, operatorKwargs, operatorRequest, xcomKey, type Listing, type MappedCopy, type OperatorRequest } from './operator-requests.js';

const AUTH = { Authorization: 'Bearer contract-token-1' };
const WAREHOUSE = 'analytics';
const silent = pino({ level: 'silent' });

// ---------------------------------------------------------------- the services, in-process

interface Running {
  readonly app: Express;
  close(): Promise<void>;
}

const dir = mkdtempSync(join(tmpdir(), 'dw-contract-'));
let n = 0;

async function serve(name: string, build: (state: StateBackend, metrics: ReturnType<typeof createMetrics>) => Promise<{ module: ServiceModule; close(): Promise<void> }>): Promise<Running> {
  const state = await openState({ spec: join(dir, `${name}-${n++}.sqlite`) });
  const metrics = createMetrics({ service: name });
  const service = await build(state, metrics);
  const jobStore = openJobStore(state);
  await jobStore.migrate();
  const runner = new JobRunner({ service: name, store: jobStore, log: silent, maxConcurrent: 1000 });
  await runner.start();
  const app = createApp({ module: service.module, runner, jobStore, tokens: new TokenSet([{ identity: 'airflow', token: 'contract-token-1' }]), log: silent, metrics });
  return {
    app,
    async close() {
      await runner.idle();
      runner.stop();
      await service.close();
      await state.close();
    },
  };
}

/** No S3 here: jobs that get past admission fail at once, which the contract does not look at. */
const offline = (): Promise<never> => Promise.reject(new Error('offline'));
const offlineStorage: ObjectStorage = { list: offline, download: offline, upload: offline, copy: offline, delete: offline, put: offline };

const services = new Map<OperatorRequest['service'], Running>();

beforeAll(async () => {
  services.set('bookmarks', await serve('bookmarks', (state, metrics) => createBookmarksService({ state, metrics, env: {}, lister: new MemoryBucket('data') })));
  services.set('dq', await serve('dq', (state, metrics) => createDqService({ state, metrics, env: { DAGWRIGHT_DQ_WORK_DIR: join(dir, 'dq-work') }, s3: offlineStorage })));
  services.set(
    'loader',
    await serve('loader', async (_state, metrics) => {
      const service = await createLoaderService({
        log: silent,
        metrics,
        warehouses: new Map([[WAREHOUSE, { type: 'duckdb', path: join(dir, 'warehouse.duckdb') }]]),
        objects: new MemoryObjects(),
        duckdbPath: join(dir, 'default.duckdb'),
        tempDir: join(dir, 'loader-tmp'),
      });
      return { module: service.module, close: () => service.close() };
    }),
  );
});

afterAll(async () => {
  for (const running of services.values()) await running.close();
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- the DAG's requests

/** The allowed values of a task field, read from the spec schema itself. */
function allowed(type: keyof typeof TASK_TYPE_PROPERTIES, field: string): string[] {
  const properties = TASK_TYPE_PROPERTIES[type].properties as Record<string, { enum?: string[] }>;
  const values = properties[field]?.enum;
  if (values === undefined) throw new Error(`${type}.${field} has no enum`);
  return values;
}

const EXTENSIONS: Record<string, string> = { csv: 'csv', json: 'json', jsonl: 'jsonl', parquet: 'parquet' };

/** What a task returned, as the services answer: a bookmark run, or a dq evaluation. */
function xcomFor(model: PipelineModel, taskId: string, dataFormat: string, runId: string, copy?: MappedCopy, shape: BatchShape = 'inline'): unknown {
  const task = model.tasks.find((t) => t.taskId === taskId);
  const details = task?.details;
  const item = (text: string): string => (copy === undefined ? text : text.replaceAll('{{ item }}', String(copy.item)));
  if (details?.type === 'bookmark') {
    const key = `orders/dt=2026-01-01/part-0.${EXTENSIONS[dataFormat] ?? 'csv'}`;
    if (shape === 'manifest') {
      // A batch of more objects than the bookmarks service lists inline: a reference to its manifest.
      const manifest = `s3://data/${BATCH_MANIFEST_PREFIX}/bookmark=${item(details.bookmark)}/run=r/${'0'.repeat(64)}.jsonl`;
      return { run_id: runId, bookmark: item(details.bookmark), source: item(details.source), batch: { manifest, source: item(details.source), count: 100_000, total_bytes: 1_000_000 }, groups: [] };
    }
    return { run_id: runId, bookmark: item(details.bookmark), source: item(details.source), batch: { objects: [{ key, etag: 'e1', size: 10, last_modified: '2026-01-01T00:00:00Z' }], total_bytes: 10 }, groups: [] };
  }
  if (details?.type === 'dq_check') {
    const input = details.inputTaskId === undefined ? undefined : (xcomFor(model, details.inputTaskId, dataFormat, runId, details.inputMapped ? copy : undefined, shape) as { source: string; batch: unknown });
    const batch =
      details.onViolation === 'quarantine'
        ? { source: 's3://data/_dagwright/dq/', objects: [{ key: `_dagwright/dq/passed/pipeline=${model.dagId}/dt=2026-01-01/run=r/part-00000.parquet`, etag: 'p1', size: 10 }], total_bytes: 10, format: 'parquet' }
        : input === undefined ? details.dataset && item(details.dataset) : { source: input.source, ...(input.batch as object) };
    return { outcome: 'passed', rows_in: 1, rows_passed: 1, rows_quarantined: 0, rules: [], batch };
  }
  throw new Error(`no XCom for ${taskId}`);
}

const SERVICE_TASKS = new Set(['bookmark', 'bookmark_commit', 'dq_check', 'load']);

/** A service task's mapped copies (for_each values), or one unmapped run. */
function copiesOf(task: PipelineModel['tasks'][number], model: PipelineModel): (MappedCopy | undefined)[] {
  if (!SERVICE_TASKS.has(task.details.type)) return [undefined];
  const items = operatorKwargs(task, model).items;
  return items === undefined ? [undefined] : items.map((item, mapIndex) => ({ item, mapIndex }));
}

/** S3 as a load with a source prefix lists it: two data objects and a marker, out of key order. */
const LISTING: Listing = (_bucket, prefix) => [
  { key: `${prefix}part-1.csv`, size: 10, etag: 'e2' },
  { key: `${prefix}_SUCCESS`, size: 0, etag: 'e0' },
  { key: `${prefix}part-0.csv`, size: 10, etag: 'e1' },
];

/** How a bookmark's batch comes: its objects inline, or (a large batch) a reference to its manifest. */
type BatchShape = 'inline' | 'manifest';

type Outcome = { kind: 'spec-refused'; codes: string[] } | { kind: 'sent'; requests: { request: OperatorRequest; status: number; body: unknown }[] };

/** Validates a spec; when dagwright accepts it, sends every service request its DAG makes. */
async function run(spec: object, dataFormat = 'csv', shape: BatchShape = 'inline'): Promise<Outcome> {
  const compiled = await checkSpec('contract.yaml', stringify(spec));
  // Warnings (a load that likely is not what was meant) do not refuse: the spec generates.
  const errors = compiled.diagnostics.filter(isError);
  if (compiled.model === undefined || errors.length > 0) return { kind: 'spec-refused', codes: errors.map((d) => d.code) };
  const model = compiled.model;
  // A run id of its own per spec: the services key jobs by dag, task and run.
  const runId = `manual__2026-01-01T00:00:00.${String(n++).padStart(6, '0')}+00:00`;
  const xcoms = new Map<string, unknown>();
  for (const task of model.tasks) {
    for (const copy of copiesOf(task, model)) {
      if (task.details.type === 'bookmark' || task.details.type === 'dq_check') xcoms.set(xcomKey(task.taskId, copy?.mapIndex), xcomFor(model, task.taskId, dataFormat, runId, copy, shape));
    }
  }
  const requests = [];
  for (const task of model.tasks) {
    for (const copy of copiesOf(task, model)) {
      const req = operatorRequest(task, model, xcoms, runId, undefined, copy, LISTING);
      if (req === undefined) continue;
      const service = services.get(req.service)!;
      const res = await request(service.app).post(req.path).set(AUTH).set('Idempotency-Key', idempotencyKey(model.dagId, task.taskId, runId, copy?.mapIndex)).send(req.body);
      requests.push({ request: req, status: res.status, body: res.body as unknown });
      // The bookmark's commit needs its begin finished, and the next spec's begin the commit.
      if (req.service === 'bookmarks' && res.status === 202) {
        await waitForJob(async (id) => (await request(service.app).get(`/v1/jobs/${id}`).set(AUTH)).body as Job, (res.body as Job).id);
      }
    }
  }
  return { kind: 'sent', requests };
}

/** Either side may refuse a value, but not only the service: then it fails at run time. */
async function expectAgreement(spec: object, want: 'accepted' | 'refused by the spec', dataFormat = 'csv', shape: BatchShape = 'inline'): Promise<void> {
  const outcome = await run(spec, dataFormat, shape);
  if (outcome.kind === 'spec-refused') {
    expect(want, `dagwright refused it (${outcome.codes.join(', ')})`).toBe('refused by the spec');
    return;
  }
  const refused = outcome.requests.filter((r) => r.status !== 202);
  expect(refused.map((r) => ({ task: r.request.taskId, path: r.request.path, status: r.status, problem: r.body })), 'the spec validated, so every service must take the request').toEqual([]);
  expect(outcome.requests.length).toBeGreaterThan(0);
  // A declared format must be the format of the data the task is handed.
  for (const { request: req } of outcome.requests) {
    const body = req.body as { format?: string; batch?: { objects?: { key: string }[] }; dataset?: { objects?: { key: string }[] } };
    const objects = (body.batch ?? body.dataset)?.objects ?? [];
    if (body.format !== undefined) for (const o of objects) expect(formatOfName(o.key), `${req.taskId} declares ${body.format} for ${o.key}`).toBe(body.format);
  }
  expect(want).toBe('accepted');
}

// ---------------------------------------------------------------- the specs

const pipeline = (name: string, tasks: object) => ({ apiVersion: 'dagwright/v1', kind: 'Pipeline', name, schedule: '@daily', start_date: '2026-01-01', tasks });

interface Parts {
  readonly name?: string;
  readonly bookmark?: object;
  readonly dq?: object | null;
  readonly load?: object;
}

/** bookmark → dq_check → load: one request to each service (and the bookmark's commit). */
function chain(parts: Parts = {}): object {
  const tasks: Record<string, object> = {
    pick: { type: 'bookmark', source: 's3://data/orders/', ...parts.bookmark },
    load: { type: 'load', after: [parts.dq === null ? 'pick' : 'check'], warehouse: WAREHOUSE, table: 'analytics.orders', mode: 'append', ...parts.load },
  };
  if (parts.dq !== null) tasks['check'] = { type: 'dq_check', after: ['pick'], ruleset: 'Rules = [ RowCount > 0 ]', ...parts.dq };
  return pipeline(parts.name ?? 'orders', tasks);
}

describe('pipeline names: what dagwright validates, the services take', () => {
  it.each([
    ['a plain name', 'orders', 'accepted'],
    ['a leading underscore', '_orders', 'accepted'],
    ['dots and dashes', 'orders.v2-hourly', 'accepted'],
    ['a leading digit', '9lives', 'accepted'],
    ['one character', 'o', 'accepted'],
    ['250 characters (Airflow\'s longest dag_id)', `_${'o'.repeat(249)}`, 'accepted'],
    ['251 characters', 'o'.repeat(251), 'refused by the spec'],
    ['a leading dot', '.orders', 'refused by the spec'],
    ['a slash', 'orders/hourly', 'refused by the spec'],
  ] as const)('%s', async (_name, name, want) => {
    await expectAgreement(chain({ name, dq: { on_violation: 'quarantine' } }), want);
  });
});

describe('formats: every spec format, on dq_check and on load', () => {
  const formats = [...new Set([...allowed('dq_check', 'format'), ...allowed('load', 'format')])];

  it('the spec schema lists the same formats for both', () => {
    expect(allowed('dq_check', 'format')).toEqual(allowed('load', 'format'));
  });

  it.each(formats)('format %s, on data in that format', async (format) => {
    await expectAgreement(chain({ dq: { format, on_violation: 'fail' }, load: { format } }), 'accepted', format);
  });

  it.each(formats)('format %s on a dq_check that quarantines, with no format on the load', async (format) => {
    await expectAgreement(chain({ dq: { format, on_violation: 'quarantine' } }), 'accepted', format);
  });

  it.each(formats)('format %s on a load that reads a quarantining dq_check (its passed rows are Parquet)', async (format) => {
    await expectAgreement(chain({ dq: { on_violation: 'quarantine' }, load: { format } }), format === 'parquet' ? 'accepted' : 'refused by the spec', format);
  });

  it.each(formats)('format %s on a load straight after the bookmark', async (format) => {
    await expectAgreement(chain({ dq: null, load: { format } }), 'accepted', format);
  });
});

describe('dq_check fields', () => {
  it.each(allowed('dq_check', 'on_violation'))('on_violation %s', async (onViolation) => {
    await expectAgreement(chain({ dq: { on_violation: onViolation } }), 'accepted');
  });

  it.each([
    ['an s3 prefix', 's3://data/orders/', 'accepted'],
    ['an s3 object', 's3://data/orders/part-0.csv', 'accepted'],
    ['2048 characters', `s3://data/${'k'.repeat(2048 - 10)}`, 'accepted'],
    ['2049 characters', `s3://data/${'k'.repeat(2049 - 10)}`, 'refused by the spec'],
  ] as const)('an explicit dataset: %s', async (_name, dataset, want) => {
    await expectAgreement(pipeline('orders', { check: { type: 'dq_check', ruleset: 'Rules = [ RowCount > 0 ]', dataset } }), want);
  });
});

describe('a large batch: the bookmark answers a manifest reference (issue 10)', () => {
  it.each(['fail', 'warn', 'quarantine'] as const)('bookmark → dq_check (on_violation %s) → load', async (onViolation) => {
    await expectAgreement(chain({ dq: { on_violation: onViolation } }), 'accepted', 'csv', 'manifest');
  });

  it.each(['csv', 'json', 'parquet'])('bookmark → load, format %s', async (format) => {
    await expectAgreement(chain({ dq: null, load: { format } }), 'accepted', format, 'manifest');
  });

  it('the reference, not the list, is what dq and the loader are sent', async () => {
    const outcome = await run(chain(), 'csv', 'manifest');
    if (outcome.kind !== 'sent') throw new Error('the spec was refused');
    const sent = outcome.requests.filter((r) => r.request.service !== 'bookmarks').map((r) => r.request.body as { dataset?: object; batch?: object });
    expect(sent).toHaveLength(2);
    for (const body of sent) {
      const batch = body.dataset ?? body.batch;
      expect(batch).toMatchObject({ manifest: expect.stringMatching(/^s3:\/\/data\/_dagwright\/batches\//), source: 's3://data/orders/', count: 100_000 });
      expect(batch).not.toHaveProperty('objects');
    }
  });
});

describe('load fields', () => {
  it.each(allowed('load', 'mode'))('mode %s', async (mode) => {
    await expectAgreement(chain({ load: mode === 'merge' ? { mode, keys: ['order_id'] } : { mode } }), 'accepted');
  });

  it.each([
    ['a plain column', 'updated_at', 'accepted'],
    ['a column with $', 'updated$at', 'accepted'],
    ['127 characters', `u${'_'.repeat(126)}`, 'accepted'],
    ['128 characters', `u${'_'.repeat(127)}`, 'refused by the spec'],
    ['a space', 'updated at', 'refused by the spec'],
    ['a quote', 'updated"at', 'refused by the spec'],
  ] as const)('order_by: %s', async (_name, orderBy, want) => {
    await expectAgreement(chain({ load: { mode: 'merge', keys: ['order_id'], order_by: orderBy } }), want);
  });

  it.each([
    ['one key', ['order_id'], 'accepted'],
    ['32 keys', Array.from({ length: 32 }, (_, i) => `k${i}`), 'accepted'],
    ['33 keys', Array.from({ length: 33 }, (_, i) => `k${i}`), 'refused by the spec'],
    ['a key with a dash', ['order-id'], 'refused by the spec'],
  ] as const)('keys: %s', async (_name, keys, want) => {
    await expectAgreement(chain({ load: { mode: 'merge', keys } }), want);
  });

  it.each([true, false])('allow_new_columns %s, with order_by', async (allow) => {
    await expectAgreement(chain({ load: { mode: 'merge', keys: ['order_id'], order_by: 'updated_at', allow_new_columns: allow } }), 'accepted');
  });

  it.each([
    ['a table', 'orders', 'accepted'],
    ['schema.table', 'analytics.orders', 'accepted'],
    ['database.schema.table', 'dev.analytics.orders', 'refused by the spec'],
    ['a 128-character table', `t${'_'.repeat(127)}`, 'refused by the spec'],
  ] as const)('table: %s', async (_name, table, want) => {
    await expectAgreement(chain({ load: { table } }), want);
  });

  it.each([
    ['a configured warehouse', WAREHOUSE, 'accepted'],
    ['upper case (the loader lower-cases warehouse names)', 'Analytics', 'refused by the spec'],
  ] as const)('warehouse: %s', async (_name, warehouse, want) => {
    await expectAgreement(chain({ load: { warehouse } }), want);
  });
});

describe('bookmark options', () => {
  it.each(allowed('bookmark', 'partitioning'))('partitioning %s', async (partitioning) => {
    await expectAgreement(chain({ bookmark: { partitioning } }), 'accepted');
  });

  it.each([
    ['0s', 'accepted'],
    ['15m', 'accepted'],
    ['7d', 'accepted'],
    ['8d', 'refused by the spec'],
  ] as const)('tolerance %s', async (tolerance, want) => {
    await expectAgreement(chain({ bookmark: { tolerance } }), want);
  });

  it.each([
    [0, 'accepted'],
    [366, 'accepted'],
    [367, 'refused by the spec'],
  ] as const)('lookback %s', async (lookback, want) => {
    await expectAgreement(chain({ bookmark: { partitioning: 'hive', lookback } }), want);
  });

  it.each([
    ['1B', 'accepted'],
    ['128MB', 'accepted'],
    ['4GB', 'accepted'],
    ['0MB', 'refused by the spec'],
  ] as const)('batch_size %s', async (batchSize, want) => {
    await expectAgreement(chain({ bookmark: { batch_size: batchSize } }), want);
  });

  it.each([
    ['a bucket prefix', 's3://data/orders/', 'accepted'],
    ['a whole bucket', 's3://data', 'accepted'],
    ['a 1024-character prefix', `s3://data/${'k'.repeat(1024)}`, 'accepted'],
    ['a 1025-character prefix', `s3://data/${'k'.repeat(1025)}`, 'refused by the spec'],
    ['an empty segment', 's3://data/orders//dt=1/', 'refused by the spec'],
    ['a wildcard', 's3://data/orders/*', 'refused by the spec'],
    ['a bucket with ..', 's3://da..ta/orders/', 'refused by the spec'],
  ] as const)('source: %s', async (name, source, want) => {
    // A bookmark keeps its source: one pipeline per source.
    await expectAgreement(chain({ name: `source_${name.replace(/[^a-z0-9]/g, '_')}`, bookmark: { source } }), want);
  });

  it('a bookmark inside a group, in a pipeline with the longest name', async () => {
    const name = `_${'o'.repeat(249)}`;
    await expectAgreement(pipeline(name, { ingest: { type: 'group', tasks: { pick: { type: 'bookmark', source: 's3://data/orders/' }, load: { type: 'load', after: ['pick'], warehouse: WAREHOUSE, table: 'orders', mode: 'append' } } } }), 'accepted');
  });
});

describe('for_each on service tasks (issue 10.11)', () => {
  const REGIONS = ['us', 'eu', 'apac'];

  it('a load per region from a templated S3 prefix', async () => {
    const spec = pipeline('orders', { load_region: { type: 'load', for_each: REGIONS, source: 's3://sales/{{ item }}/dt={{ ds }}/', warehouse: WAREHOUSE, table: 'sales', mode: 'append' } });
    await expectAgreement(spec, 'accepted');
    const outcome = await run(spec);
    if (outcome.kind !== 'sent') throw new Error('refused');
    expect(outcome.requests.map((r) => (r.request.body['batch'] as { source: string }).source)).toEqual(REGIONS.map((r) => `s3://sales/${r}/dt=2026-01-31/`));
    expect((outcome.requests[0]?.request.body['batch'] as { objects: unknown }).objects).toEqual([
      { key: 'us/dt=2026-01-31/part-0.csv', size: 10, etag: 'e1' },
      { key: 'us/dt=2026-01-31/part-1.csv', size: 10, etag: 'e2' },
    ]);
  });

  it.each([
    ['a templated object', 's3://sales/{{ item }}/dt={{ ds }}/part-0.csv', 'accepted'],
    ['a whole bucket', 's3://sales', 'accepted'],
    ['an https URL', 'https://sales/{{ item }}/', 'refused by the spec'],
    ['an empty segment', 's3://sales//{{ item }}/', 'refused by the spec'],
  ] as const)('a load source: %s', async (_name, source, want) => {
    await expectAgreement(pipeline('orders', { load_region: { type: 'load', for_each: REGIONS, source, warehouse: WAREHOUSE, table: 'sales', mode: 'append' } }), want);
  });

  it.each([
    ['strings', REGIONS],
    ['numbers', [1, 2.5, -3]],
  ] as const)('a bookmark, dq_check and load mapped the same way, over %s: one bookmark per item', async (_name, items) => {
    const spec = chain({ name: `mapped_${_name}`, bookmark: { source: 's3://data/{{ item }}/', for_each: items }, dq: { for_each: items }, load: { for_each: items } });
    await expectAgreement(spec, 'accepted');
  });

  it('a dq_check per region on a templated dataset', async () => {
    await expectAgreement(pipeline('orders', { check: { type: 'dq_check', for_each: REGIONS, ruleset: 'Rules = [ RowCount > 0 ]', dataset: 's3://data/{{ item }}/dt={{ ds }}/' } }), 'accepted');
  });

  it('a mapped bookmark with the longest pipeline name and the longest item', async () => {
    const name = `_${'o'.repeat(249)}`;
    const item = 'r'.repeat(501 - name.length - '.pick.'.length);
    await expectAgreement(pipeline(name, { pick: { type: 'bookmark', for_each: [item], source: 's3://data/orders/' } }), 'accepted');
    await expectAgreement(pipeline(name, { pick: { type: 'bookmark', for_each: [`${item}r`], source: 's3://data/orders/' } }), 'refused by the spec');
  });
});
