/**
 * Rulesets that cost too much to take: too deep is 422 Ruleset.TooComplex at a place (not
 * 500 Internal), and a ruleset with thousands of errors answers quickly with a bounded list.
 */
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRuleset } from '@dagwright/dqdl';
import { invalidRuleset, MAX_DIAGNOSTICS } from './domain/problems.js';
import { AUTH, startLocalTestApp, type TestApp } from './testing/dq-app.js';

let t: TestApp & { readonly root: string };

beforeAll(async () => {
  t = await startLocalTestApp({ 'data/a.csv': 'id\n1\n' });
});
afterAll(async () => {
  await t.close();
});

const nested = `Rules = [\n  ${'('.repeat(10_000)}RowCount > 0${')'.repeat(10_000)}\n]`;
const sum = `Rules = [\n  RowCount > ${Array.from({ length: 50_000 }, () => '1').join(' + ')}\n]`;
const manyBad = `Rules = [\n${Array.from({ length: 23_000 }, () => '  Foo "x"').join(',\n')}\n]`; // 253 KB

describe('too deep', () => {
  it.each([
    ['10,000 nested parentheses', nested, 'line 2, column 103: dqdl.too-complex'],
    ['a 50,000-term sum', sum, 'line 2, column 416: dqdl.too-complex'],
  ])('%s: PUT /v1/rulesets is 422 Ruleset.TooComplex and nothing is stored', async (_name, text, at) => {
    const put = await request(t.app).put('/v1/rulesets/deep').set(AUTH).send({ text });
    expect(put.status).toBe(422);
    expect(put.body).toMatchObject({ code: 'Ruleset.TooComplex', retryable: false });
    expect(put.body.errors[0].message).toMatch(new RegExp(`^${at}: `));
    expect((await request(t.app).get('/v1/rulesets/deep').set(AUTH)).status).toBe(404);
  });

  it('POST /v1/evaluations is 422 Ruleset.TooComplex before a job exists', async () => {
    const { post } = await t.evaluate({ dataset: join(t.root, 'data', 'a.csv'), ruleset: nested, on_violation: 'warn' });
    expect(post.status).toBe(422);
    expect(post.body).toMatchObject({ code: 'Ruleset.TooComplex', retryable: false });
  });
});

describe('many errors', () => {
  it('23,000 errors are placed (line, column) in one pass, not one pass per error', () => {
    const { diagnostics } = parseRuleset(manyBad);
    expect(diagnostics).toHaveLength(23_000);
    const started = Date.now();
    const problem = invalidRuleset(manyBad, diagnostics);
    expect(Date.now() - started).toBeLessThan(500); // 128 s when each error counted lines from the start
    expect(problem.errors).toHaveLength(MAX_DIAGNOSTICS);
  });

  it('23,000 bad rules: the first MAX_DIAGNOSTICS errors and how many more', async () => {
    const put = await request(t.app).put('/v1/rulesets/bad').set(AUTH).send({ text: manyBad });
    expect(put.status).toBe(422);
    expect(put.body.code).toBe('DQ.InvalidRuleset');
    expect(put.body.errors).toHaveLength(MAX_DIAGNOSTICS);
    expect(put.body.errors[MAX_DIAGNOSTICS - 1].message).toMatch(new RegExp(`^line ${MAX_DIAGNOSTICS + 1}, column 3: dqdl.unknown-rule-type`));
    expect(put.body.detail).toMatch(new RegExp(`^the ruleset has 23000 problems; the first ${MAX_DIAGNOSTICS} are listed \\(${23_000 - MAX_DIAGNOSTICS} more\\): line 2, column 3: `));
    expect(JSON.stringify(put.body).length).toBeLessThan(50_000);
  });
});
