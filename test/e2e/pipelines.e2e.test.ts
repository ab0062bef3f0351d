/**
 * Every e2e pipeline on one real local stack per Airflow version (DAGWRIGHT_E2E_AIRFLOW):
 * `dagwright local up` with the services' state and the warehouse in PostgreSQL, runs
 * triggered through Airflow's scheduler, and assertions on what the run left in the world —
 * the warehouse, the quarantine objects, the bookmarks, the SNS messages received and the
 * services' own job records — never on logs alone.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgBinDir, PgCluster } from '../../services/loader/testing/pg-cluster.js';
import { requiredInCi, REPO_ROOT } from '../helpers/paths.js';
import { cli, E2E_AIRFLOW, LocalStack, parquetRows, putObjects, sql, taskResult, taskState, TopicInbox } from './harness.js';
import { expectBadOrdersQuarantinedOnce, expectOrdersLoadedOnce, ORDER_HOURS, orderHourPrefix } from './orders-scenario.js';

const pgUrl = requiredInCi('DAGWRIGHT_PG_URL');
const SPECS = join(REPO_ROOT, 'test', 'e2e', 'specs');
const spec = (name: string) => join(SPECS, `${name}.yaml`);
/** The stack's DAGWRIGHT_BOOKMARKS_INLINE_MAX_OBJECTS. */
const INLINE_MAX_OBJECTS = 3;

/** A row of the loader's jobs table (a type, not an interface: `sql` takes rows with an index signature). */
type LoaderJob = {
  status: string;
  attempt: number;
  /** The problem document (jsonb). */
  error: { code?: string } | null;
  created_at: string;
  updated_at: string;
  idempotency_key: string;
  /** The job's input (jsonb). */
  input: unknown;
};

describe.skipIf(!pgUrl)(`pipelines end to end on Airflow ${E2E_AIRFLOW}`, () => {
  const stack = new LocalStack(pgUrl as string);
  let flaky: PgCluster;
  let alerts: TopicInbox;
  let schemaAlerts: TopicInbox;
  const loaderJobs = (dagId: string) =>
    sql<LoaderJob>(stack.stateUrl(), `SELECT status, attempt, error, created_at, updated_at, idempotency_key, input FROM jobs WHERE service = 'loader' AND idempotency_key LIKE $1 ORDER BY created_at`, [`${dagId}/%`]);

  beforeAll(async () => {
    flaky = await PgCluster.create(pgBinDir() as string);
    await sql(flaky.url, 'CREATE TABLE public.orders (order_id bigint PRIMARY KEY, amount numeric(12, 2) NOT NULL)');
    mkdirSync(join(stack.dir, 'dags'), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'test', 'e2e', 'e2e_checks.py'), join(stack.dir, 'dags', 'e2e_checks.py'));
    await stack.up(
      ['orders_e2e', 'schema_e2e', 'outage_e2e', 'backpressure_e2e', 'crash_e2e', 'mwaa_install_e2e', 'large_batch_e2e', 'nonfinite_e2e'].map(spec),
      ['--state', 'postgres', '--pool', 'warehouse=2', '--pool', 'serial=1', '--retry-delay-scale', '0.05', '--warehouse-url', `flaky=${flaky.url}`],
      // Batches of more than three objects travel as manifests (every other scenario's are smaller).
      { DAGWRIGHT_BOOKMARKS_INLINE_MAX_OBJECTS: String(INLINE_MAX_OBJECTS) },
    );
    const schemas = ['analytics.orders (order_id bigint PRIMARY KEY, amount double precision NOT NULL)', 'analytics.schema_orders (order_id bigint PRIMARY KEY, amount numeric(12, 2) NOT NULL, updated_at timestamptz NOT NULL)'];
    schemas.push('analytics.bp_orders (region text, order_id bigint, amount double precision)');
    schemas.push('analytics.crash_orders (order_id bigint, amount double precision)');
    schemas.push('analytics.large_orders (order_id bigint, amount double precision)');
    await sql(stack.warehouseUrl(), `CREATE SCHEMA analytics; ${schemas.map((s) => `CREATE TABLE ${s};`).join(' ')}`);
    alerts = await TopicInbox.subscribe(stack.stack.s3Endpoint, 'arn:aws:sns:us-east-1:123456789012:e2e-alerts', 'e2e-alerts');
    schemaAlerts = await TopicInbox.subscribe(stack.stack.s3Endpoint, 'arn:aws:sns:us-east-1:123456789012:e2e-schema-alerts', 'e2e-schema-alerts');
  });
  afterAll(async () => {
    await stack.down();
    flaky?.destroy();
  });

  describe('happy path: three hourly partitions', () => {
    it('loads each valid row once, quarantines each bad row once with its failed rules, and moves the bookmark', async () => {
      for (const [date, csv] of Object.entries(ORDER_HOURS)) {
        const prefix = orderHourPrefix(date);
        await putObjects(stack.s3(), 'e2e-raw', { [`${prefix}part-0.csv`]: csv, [`${prefix}_SUCCESS`]: '' });
        const report = await stack.run('orders_e2e', date);
        expect(report.state, JSON.stringify(report, null, 2)).toBe('success');
        expect(taskState(report, 'load')).toBe('success');
        expect(taskState(report, 'pick_new_files_commit')).toBe('success');
        // the _SUCCESS marker is not data
        expect((taskResult(report, 'pick_new_files')['batch'] as { objects: unknown[] }).objects).toHaveLength(1);
        expect((report.bookmarks['orders_e2e.pick_new_files'] as { last_committed_run_id: string }).last_committed_run_id).toBe(report.runId);
      }
      await expectOrdersLoadedOnce(stack.warehouseUrl());
      await expectBadOrdersQuarantinedOnce(stack.s3(), 'e2e-raw');
      // quarantined into the partition of each run's logical date
      const keys = (await stack.listKeys('e2e-raw', '_dagwright/dq/quarantine/pipeline=orders_e2e/')).filter((k) => k.endsWith('.parquet'));
      expect(keys.every((k) => k.includes('/dt=2026-01-01/'))).toBe(true);
      expect(await alerts.drain(2)).toEqual([]);
    });

    it('a run with nothing new loads nothing, and still commits', async () => {
      const before = await sql(stack.warehouseUrl(), 'SELECT count(*)::int AS n FROM analytics.orders');
      const report = await stack.run('orders_e2e', '2026-01-01T03:30:00Z');
      expect(report.state).toBe('success');
      expect(taskState(report, 'quality')).toBe('skipped');
      expect(taskState(report, 'load')).toBe('skipped');
      expect(taskState(report, 'pick_new_files_commit')).toBe('success');
      expect(await sql(stack.warehouseUrl(), 'SELECT count(*)::int AS n FROM analytics.orders')).toEqual(before);
    });

    it('a past hour run again loads nothing twice', async () => {
      const before = await sql(stack.warehouseUrl(), 'SELECT order_id, amount FROM analytics.orders ORDER BY order_id');
      const report = await stack.run('orders_e2e', '2026-01-01T02:00:00Z');
      expect(report.rerun).toBe(true);
      expect(report.state).toBe('success');
      expect(await sql(stack.warehouseUrl(), 'SELECT order_id, amount FROM analytics.orders ORDER BY order_id')).toEqual(before);
      const quarantined = await parquetRows(stack.s3(), 'e2e-raw', '_dagwright/dq/quarantine/pipeline=orders_e2e/');
      expect(quarantined).toHaveLength(3);
    });
  });

  describe('permanent failure, then the fix', () => {
    const day = '2026-01-02';
    const lines = [
      { order_id: 1, amount: 5, updated_at: '2026-01-02T00:00:00Z', coupon: 'X' },
      { order_id: 1, amount: 6, updated_at: '2026-01-02T01:00:00Z', coupon: 'Y' },
      { order_id: 2, amount: 7, updated_at: '2026-01-02T00:30:00Z', coupon: null },
    ];

    it('a schema mismatch fails at once, alerts once, and the bookmark does not move', async () => {
      await putObjects(stack.s3(), 'e2e-schema', { 'orders/part-0.json': lines.map((l) => JSON.stringify(l)).join('\n') + '\n' });
      const report = await stack.run('_schema_e2e', day);
      expect(report.state).toBe('failed');
      expect(taskState(report, 'load')).toBe('failed');
      expect(report.tasks.find((t) => t.taskId === 'load')?.tries).toBe(1);
      expect(taskState(report, 'pick_commit')).toBe('upstream_failed');
      const failed = await loaderJobs('_schema_e2e');
      expect(failed.map((j) => [j.status, j.error?.code])).toEqual([['failed', 'SchemaMismatch']]);
      const bookmark = report.bookmarks['_schema_e2e.pick'] as { last_committed_run_id: string | null; inflight_run_id: string | null };
      expect(bookmark.last_committed_run_id ?? null).toBeNull();
      expect(bookmark.inflight_run_id).toBe(report.runId);
      const messages = await schemaAlerts.drain(3);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain('load');
      expect(await sql(stack.warehouseUrl(), 'SELECT count(*)::int AS n FROM analytics.schema_orders')).toEqual([{ n: 0 }]);
    });

    it('after fixing the spec and clearing the run, the same run loads the same files once', async () => {
      const fixed = join(stack.dir, 'fixed', 'schema_e2e.yaml');
      mkdirSync(join(stack.dir, 'fixed'), { recursive: true });
      writeFileSync(fixed, readFileSync(spec('schema_e2e'), 'utf8').replace('    format: json\n', '    format: json\n    allow_new_columns: true\n'));
      const generated = await cli(['generate', fixed, '-o', join(stack.dir, 'dags'), '--airflow', E2E_AIRFLOW]);
      expect(generated.code, generated.stderr).toBe(0);
      const report = await stack.run('_schema_e2e', day);
      expect(report.rerun).toBe(true);
      expect(report.state, JSON.stringify(report, null, 2)).toBe('success');
      const rows = await sql<{ order_id: string; amount: string; coupon: string | null }>(stack.warehouseUrl(), 'SELECT order_id, amount, coupon FROM analytics.schema_orders ORDER BY order_id');
      // the later of the two rows of order 1 wins (order_by: updated_at)
      expect(rows.map((r) => [Number(r.order_id), Number(r.amount), r.coupon])).toEqual([
        [1, 6, 'Y'],
        [2, 7, null],
      ]);
      const bookmark = (await stack.bookmark('_schema_e2e.pick')) as { last_committed_run_id: string };
      expect(bookmark.last_committed_run_id).toBe(report.runId);
      expect(await schemaAlerts.drain(2)).toEqual([]);
    });
  });

  describe('warehouse outage', () => {
    it('the load retries on the spec delays while PostgreSQL is down, then succeeds with no duplicates', async () => {
      await putObjects(stack.s3(), 'e2e-outage', { 'orders/part-0.csv': 'order_id,amount\n1,1.50\n2,2.50\n3,3.50\n' });
      flaky.stop('fast');
      const running = stack.run('outage_e2e', '2026-01-03');
      // The warehouse comes back once the loader has seen it down at least twice.
      const deadline = Date.now() + 240_000;
      while ((await loaderJobs('outage_e2e')).filter((j) => j.error?.code === 'Warehouse.Unavailable').length < 2) {
        if (Date.now() > deadline) throw new Error('the load never met the outage');
        await new Promise((r) => setTimeout(r, 1000));
      }
      flaky.start();
      const report = await running;
      expect(report.state, JSON.stringify(report, null, 2)).toBe('success');
      expect(report.tasks.find((t) => t.taskId === 'load')?.tries).toBe(1);
      const jobs = await loaderJobs('outage_e2e');
      expect(jobs.at(-1)?.status).toBe('succeeded');
      expect(jobs.filter((j) => j.status === 'succeeded')).toHaveLength(1);
      expect(await sql(flaky.url, 'SELECT order_id, amount::text FROM public.orders ORDER BY order_id')).toEqual([
        { order_id: '1', amount: '1.50' },
        { order_id: '2', amount: '2.50' },
        { order_id: '3', amount: '3.50' },
      ]);
    });
  });

  describe('backpressure', () => {
    it('five mapped loads, each from its own templated S3 source, in a pool of one slot: the loader never runs two at once', async () => {
      const regions = ['us', 'eu', 'apac', 'latam', 'mea'];
      for (const [n, region] of regions.entries()) {
        const prefix = `${region}/dt=2026-01-04/`;
        await putObjects(stack.s3(), 'e2e-backpressure', { [`${prefix}part-0.csv`]: `region,order_id,amount\n${region},${2 * n},1\n${region},${2 * n + 1},2\n`, [`${prefix}_SUCCESS`]: '' });
      }
      const report = await stack.run('backpressure_e2e', '2026-01-04');
      expect(report.state, JSON.stringify(report, null, 2)).toBe('success');
      expect(report.tasks.filter((t) => t.taskId === 'load_region').map((t) => [t.mapIndex, t.state])).toEqual(regions.map((_, i) => [i, 'success']));
      const jobs = (await loaderJobs('backpressure_e2e')).filter((j) => j.status === 'succeeded');
      expect(jobs).toHaveLength(5);
      // Each copy loaded its own region's partition (the item rendered in its source), the marker left out.
      for (const [i, region] of regions.entries()) {
        const input = JSON.stringify(jobs.find((j) => j.idempotency_key.endsWith(`/load_region/${report.runId}/${i}`))?.input);
        expect(input).toContain(`${region}/dt=2026-01-04/part-0.csv`);
        expect(input).not.toContain('_SUCCESS');
      }
      const spans = jobs.map((j) => [Date.parse(j.created_at), Date.parse(j.updated_at)] as const).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
      expect(await sql(stack.warehouseUrl(), 'SELECT region, count(*)::int AS n, count(DISTINCT order_id)::int AS ids FROM analytics.bp_orders GROUP BY region ORDER BY region')).toEqual(
        [...regions].sort().map((region) => ({ region, n: 2, ids: 2 })),
      );
    });
  });

  describe('crash and rerun', () => {
    it('the loader killed mid-load and started again: the retry completes the load, every row once', async () => {
      const rows = 200_000;
      const csv = ['order_id,amount', ...Array.from({ length: rows }, (_, i) => `${i},${(i % 1000) / 10}`)].join('\n') + '\n';
      await putObjects(stack.s3(), 'e2e-crash', { 'orders/part-0.csv': csv });
      // The test holds the table: the loader's job waits on it, provably mid-load, when killed.
      const holder = new pg.Client({ connectionString: stack.warehouseUrl() });
      await holder.connect();
      try {
        await holder.query('BEGIN; LOCK TABLE analytics.crash_orders IN ACCESS EXCLUSIVE MODE');
        const running = stack.run('crash_e2e', '2026-01-06');
        const deadline = Date.now() + 240_000;
        while (!(await sql<{ n: number }>(stack.warehouseUrl(), "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'crash_orders' AND NOT l.granted"))[0]?.n) {
          if (Date.now() > deadline) throw new Error('the load never reached the table');
          await new Promise((r) => setTimeout(r, 200));
        }
        const killed = await cli(['local', 'restart', 'loader', '--kill', '--dir', stack.dir]);
        expect(killed.code, killed.stderr).toBe(0);
        await holder.query('ROLLBACK');
        // killed while its job was running: the record is unfinished until its lease runs out
        const [record] = await loaderJobs('crash_e2e');
        expect(record?.status === 'running' || record?.error?.code === 'Job.Interrupted').toBe(true);
        const report = await running;
        expect(report.state, JSON.stringify(report, null, 2)).toBe('success');
      } finally {
        await holder.end();
      }
      const jobs = await loaderJobs('crash_e2e');
      expect(jobs.map((j) => [j.status, j.error?.code ?? null])).toEqual([
        ['failed', 'Job.Interrupted'],
        ['succeeded', null],
      ]);
      expect(await sql(stack.warehouseUrl(), 'SELECT count(*)::int AS n, count(DISTINCT order_id)::int AS d FROM analytics.crash_orders')).toEqual([{ n: rows, d: rows }]);
    });
  });

  describe('a batch larger than the inline limit', () => {
    it('travels as a manifest from the bookmark through the DQ gate to the load: every good row once, the bad one quarantined', async () => {
      const objects: Record<string, string> = {};
      for (let i = 0; i < 6; i++) objects[`orders/part-${i}.csv`] = `order_id,amount\n${2 * i},1.5\n${2 * i + 1},${i === 4 ? -2 : 2.5}\n`;
      await putObjects(stack.s3(), 'e2e-large', objects);
      const report = await stack.run('large_batch_e2e', '2026-01-07');
      expect(report.state, JSON.stringify(report, null, 2)).toBe('success');
      const batch = taskResult(report, 'pick')['batch'] as Record<string, unknown>;
      expect(batch).toMatchObject({ manifest: expect.stringMatching(/^s3:\/\/e2e-large\/_dagwright\/batches\//), count: 6 });
      expect(batch['objects']).toBeUndefined();
      const rows = await sql<{ order_id: string; amount: number }>(stack.warehouseUrl(), 'SELECT order_id, amount FROM analytics.large_orders ORDER BY order_id');
      expect(rows.map((r) => Number(r.order_id))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11]);
      const quarantined = await parquetRows(stack.s3(), 'e2e-large', '_dagwright/dq/quarantine/pipeline=large_batch_e2e/');
      expect(quarantined.map((r) => `${String(r['order_id'])}:${String(r['amount'])}`)).toEqual(['9:-2']);
      // the bookmark moved: a second run finds nothing new and loads nothing
      const again = await stack.run('large_batch_e2e', '2026-01-08');
      expect(again.state, JSON.stringify(again, null, 2)).toBe('success');
      expect(taskState(again, 'load')).toBe('skipped');
      expect((await sql(stack.warehouseUrl(), 'SELECT count(*)::int AS n FROM analytics.large_orders'))[0]).toEqual({ n: 11 });
    });
  });

  describe('metrics JSON numbers cannot hold', () => {
    it('an overflowing sum (Infinity) and an overflowing deviation (NaN) travel from the dq service to Airflow as strings, and judge as Spark does', async () => {
      const MAX = '1.7976931348623157e308';
      await putObjects(stack.s3(), 'e2e-nonfinite', { 'dt=2026-01-09/part-0.csv': `x\n${MAX}\n${MAX}\n1e300\n` });
      const report = await stack.run('nonfinite_e2e', '2026-01-09');
      expect(report.state, JSON.stringify(report, null, 2)).toBe('success');
      const result = taskResult(report, 'gate') as { outcome?: string; rules?: { rule: string; result: string; metrics?: Record<string, unknown> }[] };
      expect(result.outcome).toBe('failed');
      const byRule = Object.fromEntries((result.rules ?? []).map((r) => [r.rule, r]));
      expect(byRule['Sum "x" > 0']).toMatchObject({ result: 'PASS', metrics: { 'Column.x.Sum': 'Infinity' } });
      expect(byRule['StandardDeviation "x" > 0']).toMatchObject({ result: 'FAIL', metrics: { 'Column.x.StandardDeviation': 'NaN' } });
      expect(byRule['RowCount = 3']).toMatchObject({ result: 'PASS' });
    });
  });

  describe('installed the MWAA way', () => {
    it('the worker imports the operators from the plugins folder, and `http` is still the standard library', async () => {
      const report = await stack.run('mwaa_install_e2e', '2026-01-05');
      expect(report.state).toBe('success');
      const origins = taskResult(report, 'where_from') as { http: string; http_ok: number; dagwright_airflow: string; stdlib: string };
      expect(origins.http_ok).toBe(200);
      expect(origins.http.startsWith(origins.stdlib)).toBe(true);
      expect(origins.dagwright_airflow).toBe(join(stack.dir, 'airflow', 'plugins', 'dagwright_airflow', '__init__.py'));
    });

    it("in the scheduler's own process, once its plugins are loaded, `from http import HTTPStatus` is the standard library's", async () => {
      // The scheduler loads the plugins folder when it starts: a probe module is put beside the
      // unzipped plugins.zip and the scheduler started again, as a user adds a plugin.
      const plugins = join(stack.dir, 'airflow', 'plugins');
      copyFileSync(join(REPO_ROOT, 'test', 'e2e', 'http_probe_plugin.py'), join(plugins, 'http_probe_plugin.py'));
      const restarted = await cli(['local', 'restart', 'scheduler', '--dir', stack.dir]);
      expect(restarted.code, restarted.stderr).toBe(0);
      const probe = await waitForValue(120_000, () => {
        for (const name of readdirSync(plugins).filter((f) => /^http-probe-\d+\.json$/.test(f))) {
          const found = JSON.parse(readFileSync(join(plugins, name), 'utf8')) as { argv: string[]; http?: string; ok?: number; stdlib: string; error?: string };
          if (found.argv.includes('scheduler')) return found;
        }
        return undefined;
      });
      expect(probe.error).toBeUndefined();
      expect(probe.ok).toBe(200);
      expect(probe.http?.startsWith(probe.stdlib)).toBe(true);
    });
  });
});

/** Polls `read` until it returns a value, or fails after `timeoutMs`. */
async function waitForValue<T>(timeoutMs: number, read: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs / 1000} s`);
    await sleep(1000);
  }
}
