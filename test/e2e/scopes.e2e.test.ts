/**
 * Scopes for real: a local stack whose three services read one scopes file (services/README.md,
 * "Scopes"), written as the README tells a user to write it for one pipeline. The pipeline whose
 * requests are all inside the `airflow` identity's scopes runs through bookmark → DQ gate → load;
 * the same pipeline reading a bucket outside them fails at its first task on the first try (a 403
 * is not retried), the service logs the refusal with the identity and the missing scope, and
 * nothing of that bucket reaches the warehouse or moves a bookmark.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredInCi, REPO_ROOT } from '../helpers/paths.js';
import { E2E_AIRFLOW, LocalStack, putObjects, sql, taskState } from './harness.js';

const pgUrl = requiredInCi('DAGWRIGHT_PG_URL');
const spec = (name: string) => join(REPO_ROOT, 'test', 'e2e', 'specs', `${name}.yaml`);

/** `local up` names the token it gives Airflow `airflow`: that identity's scopes. */
const SCOPES = `identities:
  airflow:
    verbs: [run, read]
    pipelines: ["scopes_e2e*"]
    bookmarks: ["scopes_e2e*"]
    warehouses: [analytics]
    s3:
      read:
        - s3://e2e-scoped/orders/
        - s3://e2e-scoped/_dagwright/
      write:
        - s3://e2e-scoped/_dagwright/
`;

const HOUR = '2026-01-01T01:00:00Z';
const CSV = 'order_id,amount\n1,10.5\n2,-3\n3,7\n';

describe.skipIf(!pgUrl)(`scopes end to end on Airflow ${E2E_AIRFLOW}`, () => {
  const stack = new LocalStack(pgUrl as string);

  beforeAll(async () => {
    const scopesFile = join(stack.dir, 'scopes.yaml');
    writeFileSync(scopesFile, SCOPES);
    await stack.up([spec('scopes_e2e'), spec('scopes_e2e_secret')], [], { DAGWRIGHT_SCOPES_FILE: scopesFile });
    await sql(stack.warehouseUrl(), 'CREATE SCHEMA analytics; CREATE TABLE analytics.scoped_orders (order_id bigint, amount double precision)');
    await putObjects(stack.s3(), 'e2e-scoped', { 'orders/dt=2026-01-01-01/part-0.csv': CSV });
    await putObjects(stack.s3(), 'e2e-secret', { 'orders/dt=2026-01-01-01/part-0.csv': 'order_id,amount\n99,1\n' });
  });
  afterAll(async () => {
    await stack.down();
  });

  it('a pipeline inside its scopes runs end to end: the good rows are loaded, the bad one quarantined', async () => {
    const report = await stack.run('scopes_e2e', HOUR);
    expect(report.state, JSON.stringify(report, null, 2)).toBe('success');
    const rows = await sql<{ order_id: string }>(stack.warehouseUrl(), 'SELECT order_id FROM analytics.scoped_orders ORDER BY order_id');
    expect(rows.map((r) => Number(r.order_id))).toEqual([1, 3]);
    expect(await stack.listKeys('e2e-scoped', '_dagwright/dq/quarantine/pipeline=scopes_e2e/')).not.toEqual([]);
  });

  it('a pipeline reading outside its S3 scopes fails at once, logged with the identity and the scope, and loads nothing', async () => {
    const report = await stack.run('scopes_e2e_secret', HOUR);
    expect(report.state).toBe('failed');
    expect(taskState(report, 'pick_new_files')).toBe('failed');
    // Refused, not retried: the spec allows two attempts, a 403 uses one.
    expect(report.tasks.find((t) => t.taskId === 'pick_new_files')?.tries).toBe(1);
    expect(taskState(report, 'load')).toBe('upstream_failed');
    const refusals = readFileSync(join(stack.dir, 'logs', 'bookmarks.log'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('request outside its scopes'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(refusals).toContainEqual(expect.objectContaining({ identity: 'airflow', code: 'Scope.S3Read', resource: 's3://e2e-secret/orders/' }));
    const rows = await sql<{ order_id: string }>(stack.warehouseUrl(), 'SELECT order_id FROM analytics.scoped_orders WHERE order_id = 99');
    expect(rows).toEqual([]);
    // Refused before the bookmark existed: nothing began, so nothing can commit.
    expect(await stack.bookmark('scopes_e2e_secret.pick_new_files')).toMatchObject({ code: 'Bookmark.NotFound' });
  });
});
