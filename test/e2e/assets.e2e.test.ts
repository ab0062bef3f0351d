/**
 * Asset scheduling for real: a stack started with `local up --schedule` (the scheduler runs
 * pipelines on its own, as on MWAA), a producer whose task updates an asset, and a consumer
 * scheduled on it that nobody triggers. The consumer loads the partition of the day it was
 * triggered: `{{ dag_run.run_after | ds }}` on 3.x, where such a run has no logical date, and
 * `{{ ds }}` on 2.x, where it has one and no run_after. Asserted on the warehouse.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredInCi, REPO_ROOT } from '../helpers/paths.js';
import { E2E_AIRFLOW, LocalStack, putObjects, sql } from './harness.js';

const pgUrl = requiredInCi('DAGWRIGHT_PG_URL');
const spec = (name: string) => join(REPO_ROOT, 'test', 'e2e', 'specs', `${name}.yaml`);
const CONSUMER = E2E_AIRFLOW.startsWith('2.') ? 'asset_consumer_2x_e2e' : 'asset_consumer_e2e';

describe.skipIf(!pgUrl)(`asset scheduling end to end on Airflow ${E2E_AIRFLOW}`, () => {
  const stack = new LocalStack(pgUrl as string);

  beforeAll(async () => {
    await stack.up([spec('asset_producer_e2e'), spec(CONSUMER)], ['--schedule']);
    await sql(stack.warehouseUrl(), 'CREATE SCHEMA analytics; CREATE TABLE analytics.asset_orders (order_id bigint, amount double precision)');
  });
  afterAll(async () => {
    await stack.down();
  });

  it('an asset update starts the consumer scheduled on it, which loads the partition of the day it was triggered', async () => {
    const day = new Date().toISOString().slice(0, 10);
    await putObjects(stack.s3(), 'e2e-assets', { [`dt=${day}/part-0.csv`]: 'order_id,amount\n1,2.5\n2,3.5\n' });
    const report = await stack.run('asset_producer_e2e', day);
    expect(report.state, JSON.stringify(report, null, 2)).toBe('success');
    // Nobody triggers the consumer: the scheduler does, on the producer's asset event.
    const deadline = Date.now() + 300_000;
    let rows: { order_id: string }[] = [];
    while (rows.length === 0 && Date.now() < deadline) {
      await sleep(2_000);
      rows = await sql<{ order_id: string }>(stack.warehouseUrl(), 'SELECT order_id FROM analytics.asset_orders ORDER BY order_id');
    }
    expect(rows.map((r) => Number(r.order_id))).toEqual([1, 2]);
  });
});
