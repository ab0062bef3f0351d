/**
 * A ruleset compiles into the fewest scans: one aggregate pass for every plain metric
 * (where clauses become FILTERs), one grouped pass per distinct set of grouping columns,
 * all run as one statement; only CustomSql and reference datasets get queries of their own.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evaluateText, rules, tempDir, writeData } from './testing.js';

const dir = tempDir('dq-scans-');
let file: string;
beforeAll(async () => {
  file = await writeData(dir, 'd', 'parquet', [
    { id: 1, customer: 'a', status: 'ok', amount: 1.5 },
    { id: 2, customer: 'b', status: 'late', amount: 2.5 },
  ]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const count = (text: string, needle: string) => text.split(needle).length - 1;

it('twenty mixed rules: one aggregate pass and one grouped pass per column set', async () => {
  const { plan, errors } = await evaluateText(
    rules(
      'RowCount > 0',
      'RowCount > 0 where "status = \'ok\'"',
      'IsComplete "id"',
      'Completeness "customer" > 0.5 where "amount > 1"',
      'Mean "amount" > 0',
      'Sum "amount" > 0',
      'StandardDeviation "amount" >= 0',
      'ColumnValues "amount" between 0 and 10',
      'ColumnValues "status" in ["ok", "late"]',
      'ColumnLength "customer" <= 10',
      'ColumnCorrelation "id" "amount" > 0',
      'IsUnique "id"',
      'Uniqueness "ID" > 0.5 where "amount > 0"',
      'Entropy "id" > 0',
      'IsPrimaryKey "id"',
      'IsUnique "customer" "status"',
      'Uniqueness "status" "customer" > 0',
      'DistinctValuesCount "status" > 1',
      'UniqueValueRatio "status" > 0',
      '(IsComplete "status") and (Entropy "customer" > 0)',
    ),
    { files: [file] },
  );
  expect(errors).toEqual([]);
  expect(plan!.groupings).toEqual([['id'], ['customer', 'status'], ['status'], ['customer']]);
  expect(plan!.queries).toEqual([]);
  // one scan per pass: the aggregate pass and four grouped passes, in one statement
  expect(count(plan!.sql, 'FROM "primary"')).toBe(5);
  expect(count(plan!.sql, 'GROUP BY')).toBe(4);
  expect(plan!.sql.startsWith('WITH ')).toBe(true);
});

it('moments scan as DuckDB aggregates: the overflow-safe forms run only when the pass fails', async () => {
  const { plan, evaluation, errors } = await evaluateText(
    rules('StandardDeviation "amount" between 0.49 and 0.51', 'Variance "amount" between 0.24 and 0.26', 'ColumnCorrelation "id" "amount" > 0.99'),
    { files: [file] },
  );
  expect(errors).toEqual([]);
  expect(evaluation!.rules.map((r) => r.result)).toEqual(['PASS', 'PASS', 'PASS']);
  // the fallback scales by 2^-600 and counts values above 2^480; the pass that ran has neither
  expect(plan!.sql).not.toContain('pow(2.0');
  expect(count(plan!.sql, 'stddev_pop(')).toBe(1);
  expect(count(plan!.sql, 'var_pop(')).toBe(1);
  expect(count(plan!.sql, 'corr(')).toBe(1);
});

it('CustomSql and reference datasets are queries of their own', async () => {
  const ref = await writeData(dir, 'ref', 'csv', [{ customer: 'a' }]);
  const { plan } = await evaluateText(
    rules('RowCount > 0', 'CustomSql "select count(*) from primary" > 0', 'ReferentialIntegrity "customer" "ref.customer" > 0'),
    { files: [file] },
    { references: { ref: { files: [ref] } } },
  );
  expect(plan!.queries).toHaveLength(2);
  expect(count(plan!.sql, 'FROM "primary"')).toBe(1);
});
