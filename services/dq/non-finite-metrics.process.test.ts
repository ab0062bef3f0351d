/**
 * Non-finite metrics through the dq service: a NaN mean and an Infinity sum are "NaN" and
 * "Infinity" in the job's result and in the stored evaluation (JSON numbers cannot hold
 * them; JSON.stringify would write null), and the metric history keeps them, so the next
 * run's dynamic rules compare with NaN and Infinity, not with nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, startTestApp, type TestApp } from './testing/dq-app.js';

const root = mkdtempSync(join(tmpdir(), 'dw-dq-nonfinite-'));
let t: TestApp;

beforeAll(async () => {
  mkdirSync(join(root, 'run1'));
  mkdirSync(join(root, 'run2'));
  writeFileSync(join(root, 'run1', 'a.csv'), 'x,big\n1,1.7976931348623157e308\nNaN,1.7976931348623157e308\n');
  writeFileSync(join(root, 'run2', 'a.csv'), 'x,big\n1,1\n1,1\n');
  t = await startTestApp({ DAGWRIGHT_DQ_LOCAL_ROOTS: root });
});
afterAll(async () => {
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

const ruleset = 'Rules = [ Mean "x" > min(last(1)), Sum "big" > max(last(1)) ]';
const body = (run: string) => ({ ruleset, dataset: `${join(root, run)}/`, pipeline: 'nonfinite', run_id: run, history_key: 'nonfinite|metrics', on_violation: 'warn' });

describe('non-finite metrics in the dq service', () => {
  it('"NaN" and "Infinity" in the HTTP result and the stored evaluation; the history keeps them for dynamic rules', async () => {
    const first = await t.evaluate(body('run1'));
    expect(first.job?.status).toBe('succeeded');
    const rules = [
      { name: 'Rule_0', result: 'FAIL', message: 'Value: NaN does not meet the constraint requirement!', metrics: { 'Column.x.Mean': 'NaN' } },
      { name: 'Rule_1', result: 'PASS', metrics: { 'Column.big.Sum': 'Infinity' } },
    ];
    expect(first.job!.result).toMatchObject({ outcome: 'failed', rules });
    const stored = await request(t.app).get(`/v1/evaluations/${first.post.body.id as string}`).set(AUTH);
    expect(stored.status).toBe(200);
    expect(stored.body.result).toMatchObject({ rules });

    // Run 2's values are finite, and must beat run 1's: 1 > NaN fails, 2 > Infinity fails.
    // (Had the history lost them, both operands would be 0.0 and both rules pass.)
    const second = await t.evaluate(body('run2'));
    expect(second.job?.status).toBe('succeeded');
    expect(second.job!.result).toMatchObject({
      outcome: 'failed',
      rules: [
        { result: 'FAIL', message: 'Value: 1.0 does not meet the constraint requirement!', metrics: { 'Column.x.Mean': 1 } },
        { result: 'FAIL', message: 'Value: 2.0 does not meet the constraint requirement!', metrics: { 'Column.big.Sum': 2 } },
      ],
    });
  });

  it('the OpenAPI document says a metric is a number, "NaN", "Infinity", "-Infinity" or null', async () => {
    const doc = await request(t.app).get('/openapi.json');
    const result = doc.body.paths['/v1/evaluations'].post['x-job-result'];
    for (const metrics of [result.properties.rules.items.properties.metrics, result.properties.analyzers.items.properties.metrics]) {
      expect(metrics.additionalProperties.oneOf).toEqual([{ type: 'number' }, { type: 'string', enum: ['NaN', 'Infinity', '-Infinity'] }, { type: 'null' }]);
    }
  });
});
