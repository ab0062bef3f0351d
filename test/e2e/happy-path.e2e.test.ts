/**
 * Happy path, end to end: order files arrive over three hourly partitions; each run goes
 * through Airflow's scheduler, the bookmarks, dq and loader services, and PostgreSQL. After
 * three runs every valid row is in the warehouse exactly once, every bad row is in quarantine
 * exactly once with the rules it failed, and a run with nothing new loads nothing.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredInCi, REPO_ROOT } from '../helpers/paths.js';
import { E2E_AIRFLOW, LocalStack, parquetRows, putObjects, sql, taskResult, taskState, TopicInbox } from './harness.js';

const pgUrl = requiredInCi('DAGWRIGHT_PG_URL');
const SPEC = join(REPO_ROOT, 'test', 'e2e', 'specs', 'orders_e2e.yaml');
const BOOKMARK = 'orders_e2e.pick_new_files';
const HOURS: Record<string, string> = {
  '2026-01-01T01:00:00Z': 'order_id,amount\n1,10.5\n2,-3\n3,7\n,4\n',
  '2026-01-01T02:00:00Z': 'order_id,amount\n4,1\n5,2\n6,-1\n',
  '2026-01-01T03:00:00Z': 'order_id,amount\n7,3\n3,8\n',
};

describe.skipIf(!pgUrl)(`happy path on Airflow ${E2E_AIRFLOW}`, () => {
  const stack = new LocalStack(pgUrl as string);
  let inbox: TopicInbox;

  beforeAll(async () => {
    await stack.up([SPEC], ['--pool', 'warehouse=2']);
    await sql(stack.warehouseUrl(), 'CREATE SCHEMA analytics; CREATE TABLE analytics.orders (order_id bigint PRIMARY KEY, amount double precision NOT NULL)');
    inbox = await TopicInbox.subscribe(stack.stack.s3Endpoint, 'arn:aws:sns:us-east-1:123456789012:e2e-alerts', 'happy-path-alerts');
  });
  afterAll(async () => {
    await stack.down();
  });

  it('loads each hour once, quarantines each bad row once, and moves the bookmark', async () => {
    for (const [date, csv] of Object.entries(HOURS)) {
      const hour = date.slice(0, 13).replace('T', '-');
      await putObjects(stack.s3(), 'e2e-raw', { [`orders/dt=${hour}/part-0.csv`]: csv });
      const report = await stack.run('orders_e2e', date);
      expect(report.state, JSON.stringify(report, null, 2)).toBe('success');
      expect(taskState(report, 'load')).toBe('success');
      expect(taskState(report, 'pick_new_files_commit')).toBe('success');
      expect((taskResult(report, 'pick_new_files')['batch'] as { objects: unknown[] }).objects).toHaveLength(1);
      expect((report.bookmarks[BOOKMARK] as { last_committed_run_id: string }).last_committed_run_id).toBe(report.runId);
    }

    const rows = await sql<{ order_id: string; amount: number }>(stack.warehouseUrl(), 'SELECT order_id, amount FROM analytics.orders ORDER BY order_id');
    expect(rows.map((r) => [Number(r.order_id), r.amount])).toEqual([
      [1, 10.5],
      [3, 8],
      [4, 1],
      [5, 2],
      [7, 3],
    ]);

    const quarantined = await parquetRows(stack.s3(), 'e2e-raw', '_dagwright/dq/quarantine/pipeline=orders_e2e/');
    expect(quarantined.map((r) => `${String(r['order_id'])}:${String(r['amount'])}`).sort()).toEqual(['2:-3', '6:-1', 'null:4']);
    for (const row of quarantined) expect(String(row['DataQualityRulesFail'])).toMatch(/ColumnValues "amount" > 0|IsComplete "order_id"/);

    expect(await inbox.drain(2)).toEqual([]);
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
});
