/**
 * The Redshift Data API path, against aws-sdk-client-mock: a MOCK, because no
 * Redshift exists here. What it checks is what we send (one
 * BatchExecuteStatement in TRANSACTION mode with a ClientToken, the manifest,
 * DescribeStatement polling) and how we read the answers: FINISHED, FAILED
 * statements mapped to protocol codes, COPY errors read from
 * SYS_LOAD_ERROR_DETAIL, throttling, a paused cluster.
 */
import { DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
  type ExecuteStatementCommandInput,
} from '@aws-sdk/client-redshift-data';
import { GetWorkgroupCommand, RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { mockClient } from 'aws-sdk-client-mock';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Problem } from '../../../kit/errors/problem.js';
import { NO_HOOKS } from '../../domain/hooks.js';
import { runLoad } from '../../domain/run-load.js';
import { ParquetTools } from '../../source/parquet.js';
import { inlineLoad } from '../../testing/inline-load.js';
import { AUTH, loaderApp } from '../../testing/loader-app.js';
import { MemoryObjects } from '../../testing/memory-objects.js';
import type { RedshiftConfig } from './redshift-config.js';
import { createRedshiftTarget } from './redshift-target.js';

const data = mockClient(RedshiftDataClient);
const redshift = mockClient(RedshiftClient);
const serverless = mockClient(RedshiftServerlessClient);
const log = pino({ level: 'silent' });

const config: RedshiftConfig = {
  type: 'redshift',
  api: 'data',
  cluster_identifier: 'analytics',
  database: 'dev',
  db_user: 'loader',
  iam_role: 'arn:aws:iam::123456789012:role/dagwright-load',
  manifest_prefix: 's3://dagwright-manifests/loads/',
  poll_interval_ms: 1,
};

const CSV = 'id,name,updated_at\n1,a,2026-01-01 00:00:00\n2,b,\n1,c,2026-01-02 00:00:00\n';

const LEDGER_ROW = {
  idempotency_key: 'k',
  fingerprint: '',
  load_id: '',
  target_table: 'public.events',
  mode: 'merge',
  rows_loaded: 3,
  rows_inserted: 2,
  rows_updated: 1,
  rows_deleted: 0,
  bytes: 0,
  objects: 1,
  committed_at: '2026-11-26 10:00:03.12',
};

/** A fake Data API: reads by SQL text, the batch by its statements, all through the mock. */
function fakeDataApi(options: { batchStatus?: Array<Record<string, unknown>>; ledger: () => Record<string, unknown> | undefined; loadErrors?: Array<Record<string, unknown>> }) {
  const statements = new Map<string, string>();
  let n = 0;
  data.on(ExecuteStatementCommand).callsFake((input: ExecuteStatementCommandInput) => {
    const id = `00000000-0000-0000-0000-${String(++n).padStart(12, '0')}`;
    statements.set(id, input.Sql ?? '');
    return { Id: id };
  });
  data.on(DescribeTableCommand).resolves({
    ColumnList: [
      { name: 'id', typeName: 'int8', nullable: 0 },
      { name: 'name', typeName: 'varchar', length: 256, nullable: 1 },
      { name: 'updated_at', typeName: 'timestamp', nullable: 1 },
    ],
  });
  const batch = [...(options.batchStatus ?? [{ Status: 'SUBMITTED' }, { Status: 'STARTED' }, { Status: 'FINISHED' }])];
  data.on(BatchExecuteStatementCommand).resolves({ Id: 'batch-0000-0000-0000-000000000001' });
  data.on(DescribeStatementCommand).callsFake(({ Id }: { Id: string }) => {
    if (Id.startsWith('batch')) return { Id, ...(batch.length > 1 ? batch.shift() : batch[0]) };
    return { Id, Status: 'FINISHED', HasResultSet: /^SELECT/i.test(statements.get(Id) ?? '') };
  });
  data.on(GetStatementResultCommand).callsFake(({ Id }: { Id: string }) => {
    const sql = statements.get(Id) ?? '';
    if (/load_ledger/.test(sql)) {
      const row = options.ledger();
      return row ? result(row) : { Records: [], ColumnMetadata: [] };
    }
    if (/sys_load_error_detail/.test(sql)) return result(...(options.loadErrors ?? []));
    return { Records: [] };
  });
  return { statements };
}

function result(...rows: Array<Record<string, unknown>>) {
  const names = Object.keys(rows[0] ?? {});
  return {
    ColumnMetadata: names.map((name) => ({ name })),
    Records: rows.map((r) => names.map((k) => (typeof r[k] === 'number' ? { longValue: r[k] as number } : r[k] === null ? { isNull: true } : { stringValue: String(r[k]) }))),
  };
}

describe('Redshift through the Data API (mocked: no Redshift is reachable from these tests)', () => {
  let objects: MemoryObjects;
  let parquet: ParquetTools;
  beforeEach(() => {
    data.reset();
    redshift.reset();
    serverless.reset();
    objects = new MemoryObjects();
    objects.set('landing', 'in/a.csv', CSV);
    parquet = new ParquetTools('/tmp');
  });
  afterEach(() => parquet.close());

  const target = () => createRedshiftTarget('analytics', config, { data: new RedshiftDataClient({ region: 'us-east-1' }), redshift: new RedshiftClient({ region: 'us-east-1' }), serverless: new RedshiftServerlessClient({ region: 'us-east-1' }) });
  const input = (key = 'dag/load/run/-1') =>
    inlineLoad({ batch: { source: 's3://landing/', objects: [{ key: 'in/a.csv' }] }, target: 'analytics', table: 'events', mode: 'merge', keys: ['id'], order_by: 'updated_at' }, key, new Set(['analytics']));
  const ctx = () => ({ objects, parquet, tempDir: '/tmp', hooks: NO_HOOKS, log, signal: new AbortController().signal });

  it('sends ONE BatchExecuteStatement in TRANSACTION mode with a ClientToken, writes the manifest, polls to FINISHED, reads the ledger', async () => {
    const load = input();
    let committed: Record<string, unknown> | undefined;
    fakeDataApi({ ledger: () => committed });
    data.on(BatchExecuteStatementCommand).callsFake((sent) => {
      const loadId = /'([0-9a-f]{16})', 'public\.events'/.exec(sent.Sqls.join('\n'))?.[1];
      committed = { ...LEDGER_ROW, idempotency_key: load.key, fingerprint: load.fingerprint, load_id: loadId };
      return { Id: 'batch-0000-0000-0000-000000000001' };
    });

    const result = await runLoad(target(), load, ctx());
    expect(result).toMatchObject({ rows_loaded: 3, rows_inserted: 2, rows_updated: 1, replayed: false, committed_at: '2026-11-26T10:00:03.120Z' });

    const calls = data.commandCalls(BatchExecuteStatementCommand);
    expect(calls).toHaveLength(1);
    const sent = calls[0]!.args[0].input;
    expect(sent).toMatchObject({ ClusterIdentifier: 'analytics', Database: 'dev', DbUser: 'loader', ExecutionMode: 'TRANSACTION', ClientToken: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(sent.Sqls?.map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual([
      'LOCK "public"."dagwright_load_ledger"',
      'CREATE TEMP',
      'CREATE TEMP',
      'COPY "dw_stage_' + sent.ClientToken + '"',
      'DELETE FROM',
      'CREATE TEMP',
      'INSERT INTO',
      'MERGE INTO',
      'DROP TABLE',
      'DROP TABLE',
      'DROP TABLE',
    ]);
    expect(data.commandCalls(DescribeStatementCommand).filter((c) => c.args[0].input.Id?.startsWith('batch'))).toHaveLength(3);
    const manifest = JSON.parse(objects.get('dagwright-manifests', `loads/${sent.ClientToken}.manifest`) ?? '{}');
    expect(manifest).toEqual({ entries: [{ url: 's3://landing/in/a.csv', mandatory: true, meta: { content_length: Buffer.byteLength(CSV) } }] });
  });

  it('a key already in the ledger: no batch at all, the first result', async () => {
    const load = input();
    fakeDataApi({ ledger: () => ({ ...LEDGER_ROW, idempotency_key: load.key, fingerprint: load.fingerprint, load_id: 'earlier' }) });
    expect(await runLoad(target(), load, ctx())).toMatchObject({ replayed: true, rows_loaded: 3 });
    expect(data.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
  });

  it('a NULL key: the guard is emptied inside the batch, nothing is written, and the load fails 422 at /keys/0', async () => {
    // Redshift's answer to a batch with a NULL key: the transaction commits, and the ledger has no row for the key.
    fakeDataApi({ ledger: () => undefined });
    const err = await runLoad(target(), input(), ctx()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DataError', status: 422, retryable: false, errors: [{ path: '/keys/0' }] });
    const sent = data.commandCalls(BatchExecuteStatementCommand)[0]!.args[0].input.Sqls ?? [];
    const guard = sent.find((s) => s.startsWith('DELETE FROM "dw_guard_'));
    expect(guard).toMatch(/WHERE EXISTS \(SELECT 1 FROM "dw_stage_[0-9a-f]{16}" WHERE "id" IS NULL\)$/);
    // It runs after the COPY and before every write, each of which reads through the guard.
    expect(sent.indexOf(guard!)).toBe(sent.findIndex((s) => s.startsWith('COPY')) + 1);
  });

  const failed = (Error: string, extra: Record<string, unknown> = {}) => [{ Status: 'STARTED' }, { Status: 'FAILED', Error, ...extra }];

  it.each([
    ['ERROR: 1023 DETAIL: Serializable isolation violation on table - 165410, transactions forming the cycle are: 1234, 5678', 'Warehouse.SerializationConflict', 503, true],
    ['ERROR: permission denied for relation events', 'PermissionDenied', 403, false],
    ['ERROR: relation "public.events" does not exist', 'TableNotFound', 422, false],
    ['ERROR: column "name" of relation "events" does not exist', 'SchemaMismatch', 422, false],
    ['ERROR: Cluster analytics is currently being resized', 'Redshift.UnavailableException', 503, true],
  ])('a FAILED statement "%s" → %s', async (error, code, status, retryable) => {
    fakeDataApi({ ledger: () => undefined, batchStatus: failed(error, { SubStatements: [{ Id: 'x:1', Status: 'FINISHED' }, { Id: 'x:2', Status: 'FAILED', Error: error }] }) });
    const err = await runLoad(target(), input(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Problem);
    expect(err).toMatchObject({ code, status, retryable });
  });

  it('a FAILED COPY reads SYS_LOAD_ERROR_DETAIL by its query id into the DataError report', async () => {
    const copyError = "ERROR: Load into table 'dw_stage_x' failed. Check 'sys_load_error_detail' system table for details.";
    const { statements } = fakeDataApi({
      ledger: () => undefined,
      batchStatus: failed(copyError, {
        SubStatements: [
          { Id: 'x:1', Status: 'FINISHED' },
          { Id: 'x:2', Status: 'FINISHED' },
          { Id: 'x:3', Status: 'FINISHED' },
          { Id: 'x:4', Status: 'FAILED', Error: copyError, RedshiftQueryId: 4242 },
        ],
      }),
      loadErrors: [{ file_name: 's3://landing/in/a.csv', line_number: 3, column_name: 'updated_at', error_code: 1206, error_message: 'Invalid timestamp format or value' }],
    });
    const err = (await runLoad(target(), input(), ctx()).catch((e: unknown) => e)) as Problem;
    expect(err).toMatchObject({ code: 'DataError', status: 422, retryable: false });
    expect(err.errors).toEqual([{ path: '/batch', message: 's3://landing/in/a.csv, line 3, column updated_at: Invalid timestamp format or value (code 1206)' }]);
    expect([...statements.values()].some((s) => /FROM sys_load_error_detail WHERE query_id = 4242/.test(s))).toBe(true);
  });

  it.each([
    ['ThrottlingException', 'Warehouse.Throttled', 429],
    ['ActiveStatementsExceededException', 'Warehouse.Throttled', 429],
    ['DatabaseConnectionException', 'Redshift.UnavailableException', 503],
    ['InternalServerException', 'Warehouse.Unavailable', 503],
  ])('the API refusing with %s → %s', async (name, code, status) => {
    fakeDataApi({ ledger: () => undefined });
    data.on(BatchExecuteStatementCommand).rejects(Object.assign(new Error(`${name}: refused`), { name }));
    expect(await runLoad(target(), input(), ctx()).catch((e: unknown) => e)).toMatchObject({ code, status, retryable: true });
  });

  describe('availability', () => {
    const app = async (cfg: RedshiftConfig) =>
      loaderApp({ warehouses: new Map(), objects, targets: new Map([['analytics', createRedshiftTarget('analytics', cfg, { data: new RedshiftDataClient({}), redshift: new RedshiftClient({ region: 'us-east-1' }), serverless: new RedshiftServerlessClient({ region: 'us-east-1' }) })]]) });

    it('an available cluster → 200; a paused one → 503 Redshift.UnavailableException with Retry-After', async () => {
      const loader = await app(config);
      try {
        redshift.on(DescribeClustersCommand).resolves({ Clusters: [{ ClusterIdentifier: 'analytics', ClusterStatus: 'available', ClusterAvailabilityStatus: 'Available' }] });
        expect((await request(loader.app).get('/v1/warehouses/analytics/availability').set(AUTH)).body).toMatchObject({ status: 'available', type: 'redshift' });
        redshift.on(DescribeClustersCommand).resolves({ Clusters: [{ ClusterIdentifier: 'analytics', ClusterStatus: 'paused', ClusterAvailabilityStatus: 'Unavailable' }] });
        const paused = await request(loader.app).get('/v1/warehouses/analytics/availability').set(AUTH);
        expect(paused.status).toBe(503);
        expect(paused.headers['retry-after']).toBe('300');
        expect(paused.body).toMatchObject({ code: 'Redshift.UnavailableException', detail: 'cluster analytics is paused', retryable: true });
        redshift.on(DescribeClustersCommand).resolves({ Clusters: [{ ClusterIdentifier: 'analytics', ClusterStatus: 'available', ClusterAvailabilityStatus: 'Maintenance' }] });
        const maintenance = await request(loader.app).get('/v1/warehouses/analytics/availability').set(AUTH);
        expect(maintenance.body.detail).toBe('cluster analytics is maintenance (status available)');
        expect(maintenance.headers['retry-after']).toBe('600');
      } finally {
        await loader.close();
      }
    });

    it('a Serverless workgroup: AVAILABLE → 200, MODIFYING → 503; throttled → 429', async () => {
      const { cluster_identifier: _cluster, ...serverlessConfig } = config;
      const loader = await app({ ...serverlessConfig, workgroup_name: 'wg' });
      try {
        serverless.on(GetWorkgroupCommand).resolves({ workgroup: { status: 'AVAILABLE' } });
        expect((await request(loader.app).get('/v1/warehouses/analytics/availability').set(AUTH)).status).toBe(200);
        serverless.on(GetWorkgroupCommand).resolves({ workgroup: { status: 'MODIFYING' } });
        const modifying = await request(loader.app).get('/v1/warehouses/analytics/availability').set(AUTH);
        expect(modifying.status).toBe(503);
        expect(modifying.body).toMatchObject({ code: 'Redshift.UnavailableException', detail: 'workgroup wg is modifying' });
        serverless.on(GetWorkgroupCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
        const throttled = await request(loader.app).get('/v1/warehouses/analytics/availability').set(AUTH);
        expect(throttled.status).toBe(429);
        expect(throttled.body.code).toBe('Warehouse.Throttled');
        expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      } finally {
        await loader.close();
      }
    });
  });
});
