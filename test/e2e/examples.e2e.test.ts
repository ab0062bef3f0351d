/**
 * Issue 9, "every example spec runs": each spec in examples/ that generates for the Airflow
 * version under test (DAGWRIGHT_E2E_AIRFLOW; a golden in examples/dags/airflow-<v>/ says it
 * does — 3.0 rejects `sla`, so orders_hourly_to_redshift and glue_clickstream_sessions do not
 * generate for it) runs to success on one real local stack, and the test asserts what the
 * run left in the world: rows in the warehouse (PostgreSQL), quarantine objects and Glue job
 * runs in moto, the bookmark, the SNS messages and the HTTP calls received.
 *
 * What each example needs that `local up` does not create, the test seeds:
 * - example_tasks (regional_sales_fanout's callables) copied into the DAGs folder, where
 *   MWAA users ship their own modules (the DAGs folder is on the workers' sys.path);
 * - the warehouse tables, the S3 objects, the pools (--pool);
 * - glue_clickstream_sessions: the Glue job `clickstream-sessionise` created in moto
 *   (eu-west-1), and `sessions_api` — the spec's own downstream API, which `local up`
 *   cannot know — as a recording HTTP server in this test, its connection added with
 *   `airflow connections add`. `aws_platform` is moto's in eu-west-1: `local up` defines
 *   every AWS connection id the specs name, in the region of what they reach through it
 *   (issue 9 found only aws_default defined). moto's Glue answers StartJobRun and
 *   GetJobRun (the run goes RUNNING → SUCCEEDED), which is all GlueJobOperator
 *   (deferrable, wait_for_completion) needs; the job's script itself never runs.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateJobCommand, GetJobRunsCommand, GlueClient } from '@aws-sdk/client-glue';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/local/run.js';
import { requiredInCi, REPO_ROOT } from '../helpers/paths.js';
import { E2E_AIRFLOW, LocalStack, parquetRows, putObjects, sql, taskResult, taskState } from './harness.js';

const pgUrl = requiredInCi('DAGWRIGHT_PG_URL');
const EXAMPLES = join(REPO_ROOT, 'examples');
const ALL = ['orders_hourly_to_redshift', 'orders_daily_rollup', 'glue_clickstream_sessions', 'regional_sales_fanout'] as const;
/** The examples that generate for this version: the ones with a golden for it. */
const generates = (name: string): boolean => existsSync(join(EXAMPLES, 'dags', `airflow-${E2E_AIRFLOW}`, `${name}.py`));
const EXAMPLES_HERE = ALL.filter(generates);
const glueRuns = generates('glue_clickstream_sessions');
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

const ok = (report: RunReport): void => expect(report.state, JSON.stringify(report, null, 2)).toBe('success');

/** One Parquet file with these rows (DuckDB writes it). */
async function parquet(rows: readonly [number, string | null, string, number][]): Promise<Uint8Array> {
  const file = join(mkdtempSync(join(tmpdir(), 'dagwright-e2e-examples-')), 'part.parquet');
  const values = rows.map(([id, customer, currency, amount]) => `(${id}::BIGINT, ${customer === null ? 'NULL' : `'${customer}'`}::VARCHAR, '${currency}'::VARCHAR, ${amount}::DOUBLE)`).join(', ');
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    await connection.run(`COPY (SELECT * FROM (VALUES ${values}) t(order_id, customer_id, currency, amount)) TO '${file}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    db.closeSync();
  }
  return readFileSync(file);
}

/** An Airflow CLI command run with the stack's own environment (its metadata database). */
async function airflowCli(stack: LocalStack, args: readonly string[]): Promise<void> {
  const env = JSON.parse(readFileSync(join(stack.stack.airflow.home, 'airflow.env.json'), 'utf8')) as NodeJS.ProcessEnv;
  const child = spawn(join(stack.stack.airflow.venv, 'bin', 'airflow'), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`airflow ${args.join(' ')} failed (${code}):\n${output.slice(-3000)}`);
}

/**
 * An SQS queue in `region` subscribed to an SNS topic there; each drain deletes what it
 * received. (The harness's TopicInbox is us-east-1 only and does not delete: a message it
 * received comes back once the queue's 30 s visibility timeout passes, and a later drain
 * sees it again.)
 */
async function regionalInbox(endpoint: string, region: string, topicArn: string, name: string): Promise<() => Promise<string[]>> {
  const sqs = new SQSClient({ endpoint, region, credentials });
  const sns = new SNSClient({ endpoint, region, credentials });
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: attributes.Attributes?.QueueArn, Attributes: { RawMessageDelivery: 'true' } }));
  sns.destroy();
  return async () => {
    const bodies: string[] = [];
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      const page = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of page.Messages ?? []) {
        bodies.push(m.Body ?? '');
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      }
    }
    return bodies;
  };
}

describe.skipIf(!pgUrl)(`every example spec on Airflow ${E2E_AIRFLOW} (${EXAMPLES_HERE.join(', ')})`, () => {
  const stack = new LocalStack(pgUrl as string);
  let drainDataEngAlerts: () => Promise<string[]>;
  let refreshApi: Server | undefined;
  const refreshCalls: { method: string; url: string; body: unknown; idempotencyKey: string | undefined }[] = [];

  beforeAll(async () => {
    const dags = join(stack.dir, 'dags');
    mkdirSync(dags, { recursive: true });
    // The python callables ship in the DAGs folder, as on MWAA.
    cpSync(join(EXAMPLES, 'python', 'example_tasks'), join(dags, 'example_tasks'), { recursive: true });
    await stack.up(
      EXAMPLES_HERE.map((name) => join(EXAMPLES, `${name}.yaml`)),
      ['--state', 'postgres', '--pool', 'warehouse=2', '--pool', 'exports=4', '--retry-delay-scale', '0.05'],
    );
    await sql(
      stack.warehouseUrl(),
      'CREATE SCHEMA analytics; ' +
        'CREATE TABLE analytics.orders (order_id bigint PRIMARY KEY, amount double precision NOT NULL); ' +
        'CREATE TABLE analytics.orders_daily (order_id bigint, customer_id text, currency text, amount double precision);',
    );
    drainDataEngAlerts = await regionalInbox(stack.stack.s3Endpoint, 'us-east-1', 'arn:aws:sns:us-east-1:123456789012:data-eng-alerts', 'examples-data-eng-alerts');

    if (glueRuns) {
      refreshApi = createServer((req: IncomingMessage, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          refreshCalls.push({ method: req.method ?? '', url: req.url ?? '', body: body ? JSON.parse(body) : null, idempotencyKey: req.headers['idempotency-key'] as string | undefined });
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"refreshed":true}');
        });
      });
      await new Promise<void>((resolve) => refreshApi!.listen(0, '127.0.0.1', resolve));
      const port = (refreshApi.address() as AddressInfo).port;
      await airflowCli(stack, ['connections', 'add', 'sessions_api', '--conn-json', JSON.stringify({ conn_type: 'http', host: `http://127.0.0.1:${port}` })]);
      const glue = new GlueClient({ endpoint: stack.stack.s3Endpoint, region: 'eu-west-1', credentials });
      await glue.send(new CreateJobCommand({ Name: 'clickstream-sessionise', Role: 'arn:aws:iam::123456789012:role/glue', Command: { Name: 'glueetl', ScriptLocation: 's3://clickstream-scripts/sessionise.py' } }));
      glue.destroy();
    }
  });
  afterAll(async () => {
    await stack.down();
    refreshApi?.close();
  });

  it.runIf(generates('regional_sales_fanout'))('regional_sales_fanout: one export per active region, the announcements, then the summary', async () => {
    const report = await stack.run('regional_sales_fanout', '2026-01-05T05:00:00Z');
    ok(report);
    expect(taskResult(report, 'list_regions')).toEqual(['eu', 'us', 'apac']);
    const exports = report.tasks.filter((t) => t.taskId === 'exports.export_region');
    expect(exports.map((t) => [t.mapIndex, t.state, t.result])).toEqual([
      [0, 'success', { region: 'eu', path: 's3://sales-exports/region=eu/' }],
      [1, 'success', { region: 'us', path: 's3://sales-exports/region=us/' }],
      [2, 'success', { region: 'apac', path: 's3://sales-exports/region=apac/' }],
    ]);
    expect(report.tasks.filter((t) => t.taskId === 'exports.announce').map((t) => t.state)).toEqual(['success', 'success', 'success']);
    expect(taskResult(report, 'publish_summary')).toBe('summary published');
    expect(taskState(report, 'done')).toBe('success');
  });

  describe.runIf(generates('orders_daily_rollup'))('orders_daily_rollup', () => {
    const day1: [number, string | null, string, number][] = [
      [1, 'c1', 'EUR', 10.5],
      [2, 'c2', 'USD', 3],
      [3, 'c3', 'GBP', 7.25],
    ];
    const day2: [number, string | null, string, number][] = [
      [4, 'c4', 'EUR', 1],
      [5, 'c5', 'EUR', 2],
    ];
    const rollup = () => sql<{ order_id: string; customer_id: string; currency: string; amount: number }>(stack.warehouseUrl(), 'SELECT order_id, customer_id, currency, amount FROM analytics.orders_daily ORDER BY order_id');
    const put = async (rows: [number, string | null, string, number][]) => {
      await putObjects(stack.s3(), 'curated-orders', {});
      await stack.s3().send(new PutObjectCommand({ Bucket: 'curated-orders', Key: 'orders/part-0.parquet', Body: await parquet(rows) }));
    };

    it('checks the curated orders and replaces the rollup with them, each time', async () => {
      await drainDataEngAlerts();
      await put(day1);
      const first = await stack.run('orders_daily_rollup', '2026-01-07T00:00:00Z');
      ok(first);
      expect(taskResult(first, 'check_rollup_input')).toMatchObject({ rows_in: 3, rows_passed: 3 });
      expect((await rollup()).map((r) => [Number(r.order_id), r.customer_id, r.currency, r.amount])).toEqual(day1);

      await put(day2);
      const second = await stack.run('orders_daily_rollup', '2026-01-08T00:00:00Z');
      ok(second);
      // mode: replace — only the second day's rows remain
      expect((await rollup()).map((r) => [Number(r.order_id), r.customer_id, r.currency, r.amount])).toEqual(day2);
      expect(await drainDataEngAlerts()).toEqual([]);
    });

    it('a currency outside the rules fails the check: nothing is loaded and data-eng is alerted', async () => {
      await drainDataEngAlerts();
      await put([...day1, [9, 'c9', 'JPY', 4]]);
      const report = await stack.run('orders_daily_rollup', '2026-01-09T00:00:00Z');
      expect(report.state).toBe('failed');
      expect(taskState(report, 'check_rollup_input')).toBe('failed');
      expect(taskState(report, 'load_rollup')).toBe('upstream_failed');
      expect((await rollup()).map((r) => Number(r.order_id))).toEqual([4, 5]);
      // the failure callback publishes once the task has failed: wait for it
      const alerts: string[] = [];
      for (let i = 0; i < 10 && alerts.length === 0; i++) alerts.push(...(await drainDataEngAlerts()));
      alerts.push(...(await drainDataEngAlerts())); // and only once
      expect(alerts).toEqual([`Task check_rollup_input of DAG orders_daily_rollup failed in run ${report.runId}.`]);
    });
  });

  it.runIf(generates('orders_hourly_to_redshift'))('orders_hourly_to_redshift: waits for _SUCCESS, loads the new valid rows, quarantines the rest, moves the bookmark', async () => {
    await drainDataEngAlerts();
    await putObjects(stack.s3(), 'raw-orders', {
      'orders/dt=2026-01-10/part-0.csv': 'order_id,amount\n1,10.5\n2,-3\n3,7\n,4\n',
      'orders/dt=2026-01-10/_SUCCESS': '',
    });
    const report = await stack.run('orders_hourly_to_redshift', '2026-01-10T05:00:00Z');
    ok(report);
    expect(taskState(report, 'wait_for_files')).toBe('success');
    expect(taskState(report, 'load')).toBe('success');
    const bookmark = (await stack.bookmark('orders_hourly_to_redshift.pick_new_files')) as { last_committed_run_id: string };
    expect(bookmark.last_committed_run_id).toBe(report.runId);
    const rows = await sql<{ order_id: string; amount: number }>(stack.warehouseUrl(), 'SELECT order_id, amount FROM analytics.orders ORDER BY order_id');
    expect(rows.map((r) => [Number(r.order_id), r.amount])).toEqual([
      [1, 10.5],
      [3, 7],
    ]);
    const quarantined = await parquetRows(stack.s3(), 'raw-orders', '_dagwright/dq/quarantine/pipeline=orders_hourly_to_redshift/');
    expect(quarantined.map((r) => `${String(r['order_id'])}:${String(r['amount'])}`).sort()).toEqual(['2:-3', 'null:4']);
    expect(await drainDataEngAlerts()).toEqual([]);
  });

  // Provider 9.0.0 / 9.8.0 (2.10 / 2.11) builds GlueJobCompleteTrigger without the task's
  // region_name: the deferred wait polls GetJobRun in the connection's region. It works here
  // because aws_platform's region is eu-west-1, as it must be anyway for the spec's SNS
  // topics (SnsPublishOperator and SnsNotifier take no region); with the connection in
  // another region the wait fails with EntityNotFoundException (seen on 2.10 when local up
  // gave every connection us-east-1). Provider 9.22 (3.1) passes region_name to the trigger.
  it.runIf(glueRuns)('glue_clickstream_sessions: the hour lands, the bookmarked Glue job runs (deferred) to SUCCEEDED, the API is refreshed, the update announced', async () => {
    const updates = await regionalInbox(stack.stack.s3Endpoint, 'eu-west-1', 'arn:aws:sns:eu-west-1:123456789012:clickstream-updates', 'examples-clickstream-updates');
    await putObjects(stack.s3(), 'clickstream-raw', { 'events/year=2026/month=03/day=02/hour=10/part-0.parquet': 'not read by the sensor' });
    const report = await stack.run('glue_clickstream_sessions', '2026-03-02T10:00:00Z');
    ok(report);
    const glue = new GlueClient({ endpoint: stack.stack.s3Endpoint, region: 'eu-west-1', credentials });
    const runs = (await glue.send(new GetJobRunsCommand({ JobName: 'clickstream-sessionise' }))).JobRuns ?? [];
    glue.destroy();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.JobRunState).toBe('SUCCEEDED');
    expect(runs[0]?.Arguments).toMatchObject({ '--output_path': 's3://clickstream-curated/sessions/', '--enable-metrics': 'true', '--job-bookmark-option': 'job-bookmark-enable' });
    expect(refreshCalls).toHaveLength(1);
    expect(refreshCalls[0]).toMatchObject({ method: 'POST', url: '/v1/cache/refresh', body: { dataset: 'sessions', hour: '2026-03-02T10:00:00+00:00' } });
    expect(refreshCalls[0]?.idempotencyKey).toContain('glue_clickstream_sessions/refresh_api/');
    const messages = await updates();
    expect(messages).toEqual(['Sessions for 2026-03-02T10:00:00+00:00 are ready.']);
  });
});
