/**
 * One suite for both DqStore backends (SQLite, and PostgreSQL from DAGWRIGHT_PG_URL; with
 * CI=true a missing URL fails).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { StateBackend } from '../../kit/state/open-state.js';
import { dropSchemaVersions, schemaVersions, testBackends } from '../../kit/testing/backends.js';
import { openDqStore } from './open-dq-store.js';
import type { DqStore, StoredEvaluation } from './types.js';

const backends = testBackends({ dir: mkdtempSync(join(tmpdir(), 'dw-dq-store-')) });

const evaluation = (id: string, run: string, at: string, extra: Partial<StoredEvaluation> = {}): StoredEvaluation => ({
  id,
  pipeline: 'orders',
  run_id: run,
  attempt: 1,
  outcome: 'passed',
  score: 1,
  rows_in: 10,
  rows_passed: 9,
  rows_quarantined: 1,
  result: { rules: [{ name: 'Rule_0' }] },
  created_at: at,
  ...extra,
});

for (const backend of backends) {
  describe.skipIf(!backend.available)(`DqStore conformance: ${backend.name}`, () => {
    let state: StateBackend;
    let store: DqStore;
    beforeEach(async () => {
      state = await backend.open();
      store = openDqStore(state);
      await store.migrate();
      await store.migrate();
      return async () => state.close();
    });
    afterAll(() => backend.dispose());

    it('adopts a database from before schema versions as version 1: its rows kept', async () => {
      await store.saveEvaluation(evaluation('job_a', 'run-1', '2026-01-01T00:00:00.000Z'));
      await store.putRuleset({ name: 'orders', text: 'Rules = [ RowCount > 0 ]', updated_at: '2026-01-01T00:00:00.000Z', updated_by: 'admin' });
      await dropSchemaVersions(state);
      await store.migrate();
      expect(await schemaVersions(state, 'dq')).toEqual([1]);
      expect(await store.getEvaluation('job_a')).toEqual(evaluation('job_a', 'run-1', '2026-01-01T00:00:00.000Z'));
      expect((await store.getRuleset('orders'))?.text).toBe('Rules = [ RowCount > 0 ]');
    });

    it('keeps evaluations, queryable per run, newest first', async () => {
      await store.saveEvaluation(evaluation('job_a', 'run-1', '2026-01-01T00:00:00.000Z'));
      await store.saveEvaluation(evaluation('job_b', 'run-1', '2026-01-01T00:05:00.000Z', { attempt: 2, outcome: 'failed', score: 0.5 }));
      await store.saveEvaluation(evaluation('job_c', 'run-2', '2026-01-02T00:00:00.000Z'));
      expect((await store.listEvaluations('orders', 'run-1', 10)).map((e) => [e.id, e.attempt, e.outcome])).toEqual([
        ['job_b', 2, 'failed'],
        ['job_a', 1, 'passed'],
      ]);
      expect((await store.listEvaluations('orders', undefined, 2)).map((e) => e.id)).toEqual(['job_c', 'job_b']);
      expect(await store.listEvaluations('other', undefined, 10)).toEqual([]);
      const got = await store.getEvaluation('job_b');
      expect(got).toMatchObject({ id: 'job_b', rows_in: 10, rows_passed: 9, rows_quarantined: 1, result: { rules: [{ name: 'Rule_0' }] } });
      expect(await store.getEvaluation('nope')).toBeUndefined();
    });

    it('saving an evaluation again replaces it', async () => {
      await store.saveEvaluation(evaluation('job_a', 'run-1', '2026-01-01T00:00:00.000Z'));
      await store.saveEvaluation(evaluation('job_a', 'run-1', '2026-01-01T00:00:00.000Z', { outcome: 'failed' }));
      expect((await store.listEvaluations('orders', 'run-1', 10)).map((e) => e.outcome)).toEqual(['failed']);
    });

    it('keeps metric history per key; a run recorded twice counts once; the current run is left out', async () => {
      await store.recordMetrics('k', 'r1', '2026-01-01T00:00:00Z', [{ metric: 'Dataset.*.RowCount', value: 10 }]);
      await store.recordMetrics('k', 'r2', '2026-01-02T00:00:00Z', [{ metric: 'Dataset.*.RowCount', value: 20 }, { metric: 'Column.a.Completeness', value: 0.5 }]);
      await store.recordMetrics('k', 'r2', '2026-01-02T00:00:00Z', [{ metric: 'Dataset.*.RowCount', value: 21 }]);
      await store.recordMetrics('k', 'r3', '2026-01-03T00:00:00Z', [{ metric: 'Dataset.*.RowCount', value: 30 }]);
      await store.recordMetrics('other', 'r9', '2026-01-04T00:00:00Z', [{ metric: 'Dataset.*.RowCount', value: 99 }]);
      const h = await store.metricHistory('k', 'r3', 10);
      expect(Object.fromEntries(h)).toEqual({ 'Dataset.*.RowCount': [21, 10] });
      expect(Object.fromEntries(await store.metricHistory('k', 'none', 2))).toEqual({ 'Dataset.*.RowCount': [30, 21] });
    });

    it('keeps NaN and ±Infinity in metric history as they are', async () => {
      const points = [
        { metric: 'Column.x.Mean', value: Number.NaN },
        { metric: 'Column.x.Sum', value: Number.POSITIVE_INFINITY },
        { metric: 'Column.y.Sum', value: Number.NEGATIVE_INFINITY },
        { metric: 'Column.z.Sum', value: 1.5 },
      ];
      await store.recordMetrics('k', 'r1', '2026-01-01T00:00:00Z', points);
      expect(Object.fromEntries(await store.metricHistory('k', 'none', 10))).toEqual({
        'Column.x.Mean': [Number.NaN],
        'Column.x.Sum': [Number.POSITIVE_INFINITY],
        'Column.y.Sum': [Number.NEGATIVE_INFINITY],
        'Column.z.Sum': [1.5],
      });
    });

    it('stores rulesets by name', async () => {
      await store.putRuleset({ name: 'orders', text: 'Rules = [ RowCount > 0 ]', updated_at: '2026-01-01T00:00:00Z', updated_by: 'alice' });
      await store.putRuleset({ name: 'orders', text: 'Rules = [ RowCount > 1 ]', updated_at: '2026-01-02T00:00:00Z', updated_by: 'bob' });
      expect(await store.getRuleset('orders')).toEqual({ name: 'orders', text: 'Rules = [ RowCount > 1 ]', updated_at: '2026-01-02T00:00:00Z', updated_by: 'bob' });
      expect(await store.listRulesets()).toEqual([{ name: 'orders', updated_at: '2026-01-02T00:00:00Z', updated_by: 'bob' }]);
      expect(await store.getRuleset('none')).toBeUndefined();
    });

    it('a run keeps the partition date it was first given', async () => {
      expect(await store.claimRunDate('orders', 'manual__x', '2026-01-01')).toBe('2026-01-01');
      expect(await store.claimRunDate('orders', 'manual__x', '2026-01-02')).toBe('2026-01-01');
      expect(await store.claimRunDate('other', 'manual__x', '2026-01-02')).toBe('2026-01-02');
    });
  });
}
