/**
 * The dq HTTP API in-process on local files (the moto test covers S3): errors as protocol
 * problems, on_violation, quarantine counts, evaluations per run, stored rulesets,
 * dynamic rules over kept history, idempotent replays.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, startTestApp, type TestApp } from '../testing/dq-app.js';

const root = mkdtempSync(join(tmpdir(), 'dw-dq-http-'));
const data = join(root, 'data');
const out = join(root, 'out');
let t: TestApp;

beforeAll(async () => {
  mkdirSync(join(data, 'orders'), { recursive: true });
  writeFileSync(join(data, 'orders', 'part-1.csv'), 'id,amount,status\n1,10,ok\n2,,late\n3,5,ok\n');
  writeFileSync(join(data, 'orders', 'part-2.csv'), 'id,amount,status\n4,7,void\n5,8,ok\n');
  writeFileSync(join(data, 'orders', '_SUCCESS'), '');
  // Not data, by the bookmarks' rule too: a Spark job's leftovers, a copy still in flight.
  mkdirSync(join(data, 'orders', '_temporary', '0'), { recursive: true });
  writeFileSync(join(data, 'orders', '_temporary', '0', 'part-9.csv'), 'id,amount,status\n9,-1,bad\n');
  writeFileSync(join(data, 'orders', 'part-3.csv._COPYING_'), 'id,amount,status\n10,-1,bad\n');
  writeFileSync(join(data, 'broken.parquet'), 'not parquet at all');
  writeFileSync(join(data, 'ids.csv'), 'id\n1\n2\n3\n4\n5\n');
  t = await startTestApp({ DAGWRIGHT_DQ_LOCAL_ROOTS: root });
});
afterAll(async () => {
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

const orders = () => `${join(data, 'orders')}/`;
const base = (extra: object = {}) => ({ dataset: orders(), pipeline: 'orders_daily', run_id: 'scheduled__2026-02-01T00:00:00+00:00', ...extra });

describe('POST /v1/evaluations', () => {
  it('a ruleset that does not parse: 422 DQ.InvalidRuleset at once, errors with line and column', async () => {
    const { post } = await t.evaluate(base({ ruleset: 'Rules = [\n  RowCount > ,\n  IsCompete "id"\n]', on_violation: 'fail' }));
    expect(post.status).toBe(422);
    expect(post.body).toMatchObject({ code: 'DQ.InvalidRuleset', retryable: false });
    expect(post.body.errors.map((e: { message: string }) => e.message.slice(0, 20))).toEqual(['line 2, column 14: d', 'line 3, column 3: dq']);
  });

  it('an unknown column errors only its rule: on_violation fail gives DQ.RulesFailed naming it; the evaluation keeps the other rules’ results', async () => {
    const { job } = await t.evaluate(base({ run_id: 'run-amont', ruleset: 'Rules = [ RowCount = 5, IsComplete "amont", IsComplete "amount" ]' }));
    expect(job).toMatchObject({ status: 'failed', error: { code: 'DQ.RulesFailed', retryable: false } });
    expect(job!.error!.errors).toEqual([
      { path: '/rules/1', message: 'ERROR: IsComplete "amont" — the dataset has no column "amont" (columns: id, amount, status)' },
      { path: '/rules/2', message: expect.stringMatching(/^FAIL: IsComplete "amount"/) },
    ]);
    const one = await request(t.app).get(`/v1/evaluations/${job!.id}`).set(AUTH);
    expect(one.body.result).toMatchObject({
      outcome: 'failed',
      score: 1 / 3,
      rules: [
        { name: 'Rule_0', result: 'PASS', metrics: { 'Dataset.*.RowCount': 5 } },
        { name: 'Rule_1', result: 'ERROR', message: 'the dataset has no column "amont" (columns: id, amount, status)', metrics: {} },
        { name: 'Rule_2', result: 'FAIL', metrics: { 'Column.amount.Completeness': 0.8 } },
      ],
    });
  });

  it('on_violation warn: a where clause and a CustomSql naming a column the data lacks are ERROR rules; the job succeeds with outcome failed', async () => {
    const ruleset = 'Rules = [ RowCount = 5, IsComplete "id" where "nope = 1", CustomSql "select sum(nope) from primary" > 0 ]';
    const { job } = await t.evaluate(base({ ruleset, on_violation: 'warn' }));
    expect(job).toMatchObject({ status: 'succeeded', result: { outcome: 'failed', rows_in: 5, rows_passed: 5, rows_quarantined: 0 } });
    const rules = (job!.result as { rules: { result: string; message?: string }[] }).rules;
    expect(rules.map((r) => r.result)).toEqual(['PASS', 'ERROR', 'ERROR']);
    expect(rules[1]!.message).toMatch(/^Rule IsComplete "id" where "nope = 1" has provided an invalid where clause : the dataset has no column "nope"/);
    expect(rules[2]!.message).toMatch(/"nope"/);
  });

  it('a where clause trying a second statement, or that does not parse: 422 DQ.InvalidRuleset at its place, before a job exists', async () => {
    const { post } = await t.evaluate(base({ ruleset: 'Rules = [ RowCount > 0 where "id > 1; DROP TABLE primary", RowCount = 5, IsComplete "id" where "amount = = 1" ]' }));
    expect(post.status).toBe(422);
    expect(post.body.code).toBe('DQ.InvalidRuleset');
    expect(post.body.errors).toEqual([
      { path: '/ruleset', message: expect.stringMatching(/^line 1, column 37: dq\.unsafe-sql: .* has provided an invalid where clause : the where clause must be a single statement/) },
      { path: '/ruleset', message: expect.stringMatching(/^line 1, column \d+: dq\.invalid-sql: Rule IsComplete "id" where "amount = = 1" has provided an invalid where clause : /) },
    ]);
  });

  it('quarantine: a rule that ERRORs judged no row, so the job fails with DQ.RulesFailed and publishes nothing', async () => {
    const where = join(root, 'out-error');
    const { job } = await t.evaluate(base({ ruleset: 'Rules = [ IsComplete "amount", ColumnValues "stauts" in ["ok"] ]', on_violation: 'quarantine', output: where }));
    expect(job).toMatchObject({ status: 'failed', error: { code: 'DQ.RulesFailed', retryable: false } });
    expect(job!.error!.errors).toEqual([
      { path: '/rules/0', message: expect.stringMatching(/^FAIL: IsComplete "amount"/) },
      { path: '/rules/1', message: expect.stringMatching(/^ERROR: ColumnValues "stauts" in \["ok"\] — the dataset has no column "stauts"/) },
    ]);
    expect(existsSync(where) ? readdirSync(where) : []).toEqual([]);
  });

  it('a file that is not Parquet: DQ.InvalidData naming the file', async () => {
    const { job } = await t.evaluate(base({ dataset: join(data, 'broken.parquet'), ruleset: 'Rules = [ RowCount > 0 ]' }));
    expect(job).toMatchObject({ status: 'failed', error: { code: 'DQ.InvalidData' } });
    expect(job!.error!.detail).toContain(join(data, 'broken.parquet'));
  });

  it('a local path outside the allowed roots: 400 Request.Invalid', async () => {
    const { post } = await t.evaluate(base({ dataset: '/etc/', ruleset: 'Rules = [ RowCount > 0 ]' }));
    expect(post.status).toBe(400);
    expect(post.body.errors[0].path).toBe('/dataset');
  });

  it('on_violation fail: DQ.RulesFailed naming the failed rules; the evaluation is still kept', async () => {
    const { job } = await t.evaluate(base({ run_id: 'run-fail', ruleset: 'Rules = [ RowCount = 5, IsComplete "amount" ]', on_violation: 'fail' }));
    expect(job).toMatchObject({ status: 'failed', error: { code: 'DQ.RulesFailed', retryable: false } });
    expect(job!.error!.errors).toEqual([{ path: '/rules/1', message: expect.stringMatching(/^FAIL: IsComplete "amount"/) }]);
    const list = await request(t.app).get('/v1/evaluations').query({ pipeline: 'orders_daily', run_id: 'run-fail' }).set(AUTH);
    expect(list.body.evaluations).toMatchObject([{ outcome: 'failed', rows_in: 5 }]);
  });

  it('on_violation warn: succeeds with outcome failed; batch is the input', async () => {
    const { job } = await t.evaluate(base({ ruleset: 'Rules = [ IsComplete "amount" ]', on_violation: 'warn' }));
    expect(job).toMatchObject({ status: 'succeeded', result: { outcome: 'failed', rows_in: 5, rows_passed: 5, rows_quarantined: 0, batch: orders() } });
  });

  it('quarantine: passed rows and failed rows in their partitions; rows in = passed + quarantined', async () => {
    const { job } = await t.evaluate(
      base({ ruleset: 'Rules = [ IsComplete "amount", ColumnValues "status" in ["ok", "late"], RowCount > 0 ]', on_violation: 'quarantine', output: out }),
    );
    expect(job?.status).toBe('succeeded');
    const r = job!.result as Record<string, unknown> & { batch: { objects: { key: string }[] }; quarantine: { objects: { key: string }[] } };
    expect(r).toMatchObject({ outcome: 'failed', rows_in: 5, rows_passed: 3, rows_quarantined: 2, dt: '2026-02-01' });
    const partition = 'pipeline=orders_daily/dt=2026-02-01/run=scheduled__2026-02-01T00%3A00%3A00%2B00%3A00';
    expect(r.batch.objects.map((o) => o.key)).toEqual([join(out, 'passed', partition, 'part-00000.parquet')]);
    expect(r.quarantine.objects.map((o) => o.key)).toEqual([join(out, 'quarantine', partition, 'part-00000.parquet')]);
    expect(readdirSync(join(out, 'quarantine', partition)).sort()).toEqual(['_manifest.json', 'part-00000.parquet']);
    expect(readdirSync(out).sort()).toEqual(['passed', 'quarantine']);
  });

  it('quarantine needs an output location for local data', async () => {
    const { post } = await t.evaluate(base({ ruleset: 'Rules = [ RowCount > 0 ]', on_violation: 'quarantine' }));
    expect(post.status).toBe(400);
    expect(post.body.errors[0].path).toBe('/output');
  });

  it('reference datasets by alias', async () => {
    const { job } = await t.evaluate(base({ ruleset: 'Rules = [ ReferentialIntegrity "id" "ids.id" = 1.0, RowCountMatch "ids" = 1.0 ]', references: { ids: join(data, 'ids.csv') }, on_violation: 'fail' }));
    expect(job).toMatchObject({ status: 'succeeded', result: { outcome: 'passed' } });
  });

  it('the same key replays the same job', async () => {
    const body = base({ ruleset: 'Rules = [ RowCount = 5 ]' });
    const first = await t.evaluate(body, 'dag/dq/replay');
    const again = await request(t.app).post('/v1/evaluations').set(AUTH).set('Idempotency-Key', 'dag/dq/replay').send(body);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.job!.id);
  });
});

describe('kept results and history', () => {
  it('evaluations per run; one with its result', async () => {
    const { job } = await t.evaluate(base({ run_id: 'run-kept', ruleset: 'Rules = [ RowCount = 5 ]' }));
    const list = await request(t.app).get('/v1/evaluations').query({ pipeline: 'orders_daily', run_id: 'run-kept' }).set(AUTH);
    expect(list.body.evaluations).toHaveLength(1);
    const one = await request(t.app).get(`/v1/evaluations/${job!.id}`).set(AUTH);
    expect(one.body).toMatchObject({ id: job!.id, run_id: 'run-kept', result: { rules: [{ result: 'PASS', metrics: { 'Dataset.*.RowCount': 5 } }] } });
    expect((await request(t.app).get('/v1/evaluations/job_nope').set(AUTH)).status).toBe(404);
  });

  it('dynamic rules compare with earlier runs of the same pipeline, ruleset and dataset', async () => {
    const ruleset = 'Rules = [ RowCount >= avg(last(3)) ]';
    const hist = join(data, 'hist');
    mkdirSync(hist, { recursive: true });
    const body = (run: string, extra: object = {}) => ({ ...base({ run_id: run, ruleset, dataset: `${hist}/`, on_violation: 'warn' }), pipeline: 'hist', ...extra });
    writeFileSync(join(hist, 'a.csv'), 'id\n1\n2\n3\n4\n5\n');
    expect((await t.evaluate(body('h1'))).job!.result).toMatchObject({ outcome: 'passed' });
    writeFileSync(join(hist, 'a.csv'), 'id\n1\n');
    expect((await t.evaluate(body('h2', { history_key: 'elsewhere' }))).job!.result).toMatchObject({ outcome: 'passed' }); // no history there
    expect((await t.evaluate(body('h3'))).job!.result).toMatchObject({ outcome: 'failed', rules: [{ result: 'FAIL' }] }); // 1 < avg(5)
    // A rerun of h1 leaves out h1's own earlier value (5): only h3's 1 counts, and 1 >= 1.
    const again = await t.evaluate(body('h1'), 'dag/dq/h1-again');
    expect(again.job!.result).toMatchObject({ outcome: 'passed' });
  });

  it('stored rulesets: PUT checks them, evaluations use them by name', async () => {
    const bad = await request(t.app).put('/v1/rulesets/orders').set(AUTH).send({ text: 'Rules = [ RowCount > ]' });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('DQ.InvalidRuleset');
    const ok = await request(t.app).put('/v1/rulesets/orders').set(AUTH).send({ text: 'Rules = [ RowCount = 5 ]' });
    expect(ok.body).toMatchObject({ name: 'orders', rules: 1, updated_by: 'airflow' });
    expect((await request(t.app).get('/v1/rulesets').set(AUTH)).body.rulesets).toMatchObject([{ name: 'orders' }]);
    const { job } = await t.evaluate(base({ ruleset: { name: 'orders' } }));
    expect(job).toMatchObject({ status: 'succeeded', result: { outcome: 'passed' } });
    const { post } = await t.evaluate(base({ ruleset: { name: 'nope' } }));
    expect(post.status).toBe(404);
  });

  it('the OpenAPI document lists the endpoints', async () => {
    const doc = await request(t.app).get('/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/evaluations', '/v1/evaluations/{id}', '/v1/rulesets/{name}']));
  });
});
