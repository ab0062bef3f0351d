/**
 * The happy path and a warehouse outage on docker-compose.yml's stack (Airflow 3.0.6 in containers as MWAA runs it,
 * the services' image, moto, PostgreSQL as the warehouse). scripts/compose-e2e.sh brings the
 * stack up with `dagwright local up --docker` and points DAGWRIGHT_COMPOSE_STACK at its state
 * dir; without it this file is skipped. Runs are triggered with `dagwright local run` (Airflow's
 * REST API, as on the native stack) and checked where they act: the warehouse rows, the
 * quarantine Parquet in S3, the bookmark, the loader's job records, SNS.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AirflowApi } from '../../src/local/airflow-api.js';
import { compose, type ComposeStack } from '../../src/local/docker.js';
import type { RunReport, TaskOutcome } from '../../src/local/run.js';
import { cli, putObjects, sql, TopicInbox } from './harness.js';
import { expectBadOrdersQuarantinedOnce, expectOrdersLoadedOnce, ORDER_HOURS, orderHourPrefix } from './orders-scenario.js';

const dir = process.env.DAGWRIGHT_COMPOSE_STACK;
const BOOKMARK = 'orders_e2e.pick_new_files';

interface Run {
  readonly runId: string;
  readonly state: string;
  readonly tasks: Map<string, TaskOutcome>;
}

describe.skipIf(!dir)('the compose stack (Airflow 3.0.6 in containers)', () => {
  // Read only when the stack exists: vitest still collects a skipped suite.
  const stack = (dir ? JSON.parse(readFileSync(join(dir, 'compose-stack.json'), 'utf8')) : { airflowUrl: 'http://127.0.0.1:1', s3Endpoint: 'http://127.0.0.1:1' }) as ComposeStack;
  const api = new AirflowApi(stack.airflowUrl, 3);
  const s3 = new S3Client({ endpoint: stack.s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  let inbox: TopicInbox;

  /** A run through `dagwright local run`, which reads the compose stack from its state folder. */
  async function run(dagId: string, logicalDate: string): Promise<Run> {
    const result = await cli(['local', 'run', dagId, '--date', logicalDate, '--dir', dir as string, '--json', '--timeout', '480']);
    if (result.stdout.trim() === '') throw new Error(`local run ${dagId} printed no report (${result.code}):\n${result.stderr.slice(-4000)}`);
    const report = JSON.parse(result.stdout) as RunReport;
    process.stderr.write(`[compose e2e] ${dagId} ${logicalDate}: ${report.state} in ${report.seconds} s (${report.tasks.map((t) => `${t.taskId}=${t.state}`).join(', ')})\n`);
    return { runId: report.runId, state: report.state, tasks: new Map(report.tasks.map((t) => [t.taskId, t])) };
  }

  async function bookmark(): Promise<Record<string, unknown>> {
    const response = await fetch(`${stack.services.bookmarks}/v1/bookmarks/${encodeURIComponent(BOOKMARK)}`, { headers: { authorization: `Bearer ${stack.serviceToken}` } });
    return (await response.json()) as Record<string, unknown>;
  }

  beforeAll(async () => {
    await sql(
      stack.warehouseUrl,
      'CREATE SCHEMA analytics; CREATE TABLE analytics.orders (order_id bigint PRIMARY KEY, amount double precision NOT NULL); CREATE TABLE analytics.outage_orders (order_id bigint PRIMARY KEY, amount numeric(12, 2) NOT NULL)',
    );
    inbox = await TopicInbox.subscribe(stack.s3Endpoint, 'arn:aws:sns:us-east-1:123456789012:e2e-alerts', 'compose-happy-path-alerts');
    const deadline = Date.now() + 180_000;
    while (!(await api.dagExists('orders_e2e')) || !(await api.dagExists('outage_compose_e2e'))) {
      const errors = await api.importErrors();
      if (errors.length > 0) throw new Error(`import errors:\n${errors.map((e) => `${e.filename}\n${e.stackTrace}`).join('\n')}`);
      if (Date.now() > deadline) throw new Error('orders_e2e never appeared in Airflow');
      await sleep(1000);
    }
    for (const dagId of ['orders_e2e', 'outage_compose_e2e']) await api.unpause(dagId);
  });
  afterAll(() => s3.destroy());

  it('loads each hour once, quarantines each bad row once, and moves the bookmark', async () => {
    for (const [date, csv] of Object.entries(ORDER_HOURS)) {
      await putObjects(s3, 'e2e-raw', { [`${orderHourPrefix(date)}part-0.csv`]: csv });
      const result = await run('orders_e2e', date);
      expect(result.state, JSON.stringify([...result.tasks.values()])).toBe('success');
      expect(result.tasks.get('load')?.state).toBe('success');
      expect(result.tasks.get('pick_new_files_commit')?.state).toBe('success');
      expect((await bookmark())['last_committed_run_id']).toBe(result.runId);
    }

    await expectOrdersLoadedOnce(stack.warehouseUrl);
    await expectBadOrdersQuarantinedOnce(s3, 'e2e-raw');

    expect(await inbox.drain(2)).toEqual([]);
  });

  it('a run with nothing new loads nothing, and still commits', async () => {
    const before = await sql(stack.warehouseUrl, 'SELECT count(*)::int AS n FROM analytics.orders');
    const result = await run('orders_e2e', '2026-01-01T03:30:00Z');
    expect(result.state).toBe('success');
    expect(result.tasks.get('quality')?.state).toBe('skipped');
    expect(result.tasks.get('load')?.state).toBe('skipped');
    expect(result.tasks.get('pick_new_files_commit')?.state).toBe('success');
    expect(await sql(stack.warehouseUrl, 'SELECT count(*)::int AS n FROM analytics.orders')).toEqual(before);
  });

  it('warehouse outage: the load retries on the spec delays while the warehouse container is stopped, then loads once', async () => {
    const say = (line: string): void => void process.stderr.write(`[compose e2e] ${line}\n`);
    const loaderJobs = () =>
      sql<{ status: string; error: { code?: string } | null }>(stack.stateUrl, `SELECT status, error FROM jobs WHERE service = 'loader' AND idempotency_key LIKE 'outage_compose_e2e/%' ORDER BY created_at`);
    await putObjects(s3, 'e2e-outage', { 'orders/part-0.csv': 'order_id,amount\n1,1.50\n2,2.50\n3,3.50\n' });
    await compose(stack, ['stop', 'warehouse'], say);
    let running: Promise<Run> | undefined;
    try {
      running = run('outage_compose_e2e', '2026-01-03T00:00:00Z');
      // The warehouse comes back once the loader has met it down at least twice.
      const deadline = Date.now() + 240_000;
      while ((await loaderJobs()).filter((j) => j.error?.code === 'Warehouse.Unavailable').length < 2) {
        if (Date.now() > deadline) throw new Error('the load never met the outage');
        await sleep(1000);
      }
    } finally {
      await compose(stack, ['start', 'warehouse'], say);
    }
    const result = await running;
    expect(result.state, JSON.stringify([...result.tasks.values()])).toBe('success');
    expect(result.tasks.get('load')?.tries, 'retried by its retry policy, in one Airflow try').toBe(1);
    const jobs = await loaderJobs();
    expect(jobs.filter((j) => j.status === 'succeeded')).toHaveLength(1);
    expect(jobs.at(-1)?.status).toBe('succeeded');
    expect(await sql(stack.warehouseUrl, 'SELECT order_id::int AS id, amount::text AS amount FROM analytics.outage_orders ORDER BY order_id')).toEqual([
      { id: 1, amount: '1.50' },
      { id: 2, amount: '2.50' },
      { id: 3, amount: '3.50' },
    ]);
  });
});
