/**
 * What the evaluator refuses before reading any data is refused when a ruleset is stored
 * and when an evaluation is asked for: 422 DQ.InvalidRuleset at the ruleset position, not
 * a job whose rules are all ERROR.
 */
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, startLocalTestApp, type TestApp } from './testing/dq-app.js';

let t: TestApp & { readonly root: string };

beforeAll(async () => {
  t = await startLocalTestApp({ 'data/a.csv': 'id\n1\n' });
});
afterAll(async () => {
  await t.close();
});

const unsafe = 'Rules = [\n  RowCount > 0,\n  CustomSql "select count(*) from primary; drop table x" > 0\n]';

describe('rulesets the evaluator would refuse', () => {
  it('PUT /v1/rulesets is 422 DQ.InvalidRuleset at the unsafe SQL, and nothing is stored', async () => {
    const put = await request(t.app).put('/v1/rulesets/unsafe').set(AUTH).send({ text: unsafe });
    expect(put.status).toBe(422);
    expect(put.body).toMatchObject({ code: 'DQ.InvalidRuleset', retryable: false });
    expect(put.body.errors).toEqual([{ path: '/text', message: expect.stringMatching(/^line 3, column 42: dq\.unsafe-sql: the CustomSql statement must be a single statement/) }]);
    expect((await request(t.app).get('/v1/rulesets/unsafe').set(AUTH)).status).toBe(404);
  });

  it('PUT /v1/rulesets takes CustomSql naming a table that may be a reference dataset', async () => {
    const text = 'Rules = [ CustomSql "select count(*) from primary join customers using (id)" > 0 ]';
    expect((await request(t.app).put('/v1/rulesets/joined').set(AUTH).send({ text })).status).toBe(200);
  });

  it('POST /v1/evaluations is 422 before a job exists: a regex RE2 lacks, a list where a number is needed', async () => {
    const ruleset = `Rules = [\n  RowCount > 0 where "id rlike '(?<=x)y'",\n  RowCount > last(2)\n]`;
    const { post } = await t.evaluate({ dataset: join(t.root, 'data', 'a.csv'), ruleset, on_violation: 'warn' });
    expect(post.status).toBe(422);
    expect(post.body.code).toBe('DQ.InvalidRuleset');
    expect(post.body.errors.map((e: { message: string }) => e.message.slice(0, e.message.indexOf(':', 20)))).toEqual(['line 2, column 32: dq.invalid-sql', 'line 3, column 14: dq.invalid-ruleset']);
  });
});
