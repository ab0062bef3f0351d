/**
 * Outcomes of every rule type on one small dataset whose metrics are worked out by hand
 * in the comments; composites, dynamic rules over history, labels, analyzers, reference
 * datasets and row-level output.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateText, rules, tempDir, writeData } from './testing.js';
import type { DataInput, Outcome } from './types.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString().replace('T', ' ').replace('Z', '');
const H = 3_600_000;

const dir = tempDir('dq-rules-');
let orders: DataInput;
let references: Record<string, DataInput>;

beforeAll(async () => {
  const types = { id: 'BIGINT', customer: 'VARCHAR', amount: 'DOUBLE', status: 'VARCHAR', created: 'TIMESTAMP', country: 'VARCHAR', code: 'VARCHAR' };
  const file = await writeData(dir, 'orders', 'parquet', [
    { id: 1, customer: 'c1', amount: 10, status: 'ok', created: ago(1 * H), country: 'US', code: 'A1' },
    { id: 2, customer: 'c2', amount: 20, status: 'ok', created: ago(2 * H), country: 'CA', code: 'B22' },
    { id: 3, customer: 'c2', amount: null, status: 'late', created: ago(30 * H), country: 'UK', code: 'C333' },
    { id: 4, customer: null, amount: 5.5, status: 'ok', created: ago(72 * H), country: 'US', code: '' },
    { id: 5, customer: 'c3', amount: -1, status: 'void', created: null, country: 'DE', code: '  ' },
    { id: 6, customer: 'c4', amount: 100, status: 'ok', created: ago(H / 6), country: 'US', code: 'D4' },
    { id: 7, customer: 'c5', amount: 7, status: 'late', created: ago(5 * H), country: null, code: 'E5' },
    { id: 8, customer: 'c5', amount: 7, status: 'ok', created: ago(6 * H), country: 'US', code: 'F6' },
  ], { types });
  orders = { files: [file] };
  references = {
    customers: { files: [await writeData(dir, 'customers', 'csv', ['c1', 'c2', 'c3', 'c4'].map((customer) => ({ customer })))] },
    payments: { files: [await writeData(dir, 'payments', 'jsonl', [{ paid: 100.5 }, { paid: 48 }])] },
    prior: {
      files: [
        await writeData(dir, 'prior', 'parquet', [1, 2, 3, 4, 5, 6, 7, 8].map((id) => ({ id, amount: ({ 2: 21, 3: null, 4: 5.5, 5: -1, 6: 100, 7: 7, 8: 7, 1: 10 } as Record<number, number | null>)[id]! })), { types: { id: 'BIGINT', amount: 'DOUBLE' } }),
      ],
    },
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** [rule, outcome, metrics it must report (a subset, to 1e-6)] */
const TABLE: ReadonlyArray<readonly [string, Outcome, Record<string, number>?]> = [
  ['RowCount = 8', 'PASS', { 'Dataset.*.RowCount': 8 }],
  ['RowCount between 8 and 10', 'FAIL'], // exclusive
  ['RowCount not between 8 and 10', 'PASS'],
  ["RowCount = 5 where \"status = 'ok'\"", 'PASS', { 'Dataset.*.RowCount': 5 }],
  ['RowCount = 5 where "status = \\"ok\\""', 'PASS'], // Spark: "ok" is a string
  ['ColumnCount = 7', 'PASS'],
  ['Completeness "customer" = 0.875', 'PASS', { 'Column.customer.Completeness': 0.875 }],
  ['Completeness "amount" = 1 where "id < 3"', 'PASS'],
  ['IsComplete "id"', 'PASS'],
  ['IsComplete "amount"', 'FAIL'],
  ['IsUnique "id"', 'PASS'],
  ['IsUnique "customer"', 'FAIL'],
  // customer: c1 c2 c2 c3 c4 c5 c5 (NULL left out): 3 singletons / 7
  ['Uniqueness "customer" = 0.42857142857142855', 'PASS', { 'Column.customer.Uniqueness': 3 / 7 }],
  ['Uniqueness "customer" "status" > 0.7', 'PASS', { 'Multicolumn.customer,status.Uniqueness': 1 }], // 8 distinct pairs
  ['IsUnique "customer" where "id <= 2"', 'PASS'],
  ['IsPrimaryKey "id"', 'PASS', { 'Column.id.Uniqueness': 1, 'Column.id.Completeness': 1 }],
  ['IsPrimaryKey "customer" "status"', 'FAIL'], // a NULL customer
  ['DistinctValuesCount "status" = 3', 'PASS'],
  // status: ok ×5, late ×2, void ×1
  ['UniqueValueRatio "status" between 0.33 and 0.34', 'PASS', { 'Column.status.UniqueValueRatio': 1 / 3 }],
  ['Entropy "status" between 0.9 and 0.91', 'PASS', { 'Column.status.Entropy': -(0.625 * Math.log(0.625) + 0.25 * Math.log(0.25) + 0.125 * Math.log(0.125)) }],
  ['Mean "amount" between 21.2 and 21.3', 'PASS', { 'Column.amount.Mean': 148.5 / 7 }],
  ['Sum "amount" = 148.5', 'PASS'],
  ['StandardDeviation "amount" between 32.6 and 32.8', 'PASS'],
  ['Variance "amount" > 1000', 'PASS'],
  ['Mean "status" > 0', 'ERROR'],
  ['ColumnCorrelation "id" "amount" > -1', 'PASS'],
  ['ColumnCorrelation "id" "status" > 0', 'ERROR'],
  ['ColumnValues "amount" > 0', 'FAIL', { 'Column.amount.ColumnValues.Compliance': 0.75, 'Column.amount.Minimum': -1 }],
  ['ColumnValues "amount" > -2 with threshold > 0.8', 'PASS', { 'Column.amount.ColumnValues.Compliance': 0.875 }],
  ['ColumnValues "status" in ["ok", "late", "void"]', 'PASS'],
  ['ColumnValues "country" in ["US", "CA", "UK", "DE"]', 'FAIL'],
  ['ColumnValues "country" in ["US", "CA", "UK", "DE", NULL]', 'PASS'],
  ['ColumnValues "country" != "FR"', 'PASS'],
  ['ColumnValues "code" matches "[A-Z][0-9]+"', 'FAIL'],
  ['ColumnValues "code" not in [EMPTY, WHITESPACES_ONLY] with threshold > 0.7', 'PASS', { 'Column.code.ColumnValues.Compliance': 0.75 }],
  ['ColumnValues "code" matches "(?<=x)y"', 'ERROR'], // not RE2
  ['ColumnValues "created" <= now()', 'FAIL'], // one NULL
  ['ColumnValues "created" > (now() - 7 days) where "created IS NOT NULL"', 'PASS'],
  ['ColumnValues "created" between "2026-02-25" and "2026-03-02" where "created IS NOT NULL"', 'PASS'],
  ['ColumnLength "code" <= 4', 'PASS', { 'Column.code.MaximumLength': 4, 'Column.code.MinimumLength': 0 }],
  ['ColumnLength "code" > 0', 'FAIL'],
  ['ColumnLength "code" between 0 and 5', 'FAIL'], // min 0 is not > 0
  ['ColumnLength "code" in [2, 3, 4]', 'FAIL', { 'Column.code.LengthCompliance': 0.875 }], // '' has length 0
  ['DataFreshness "created" <= 24 hours', 'FAIL', { 'Column.created.DataFreshness.Compliance': 0.625 }],
  ['DataFreshness "created" <= 4 days where "created IS NOT NULL"', 'PASS'],
  ['DataFreshness "created" between 1 hours and 7 hours', 'FAIL'],
  ['ColumnDataType "id" = "INTEGER"', 'PASS'],
  ['ColumnDataType "code" = "INTEGER"', 'FAIL'],
  ['ColumnDataType "code" != "INTEGER" with threshold > 0.9', 'PASS'],
  ['ColumnDataType "code" = "TEXT"', 'ERROR'],
  ["CustomSql \"select count(*) from primary where status = 'late'\" = 2", 'PASS', { 'Dataset.*.CustomSQL': 2 }],
  ['CustomSql "select id from primary where amount > 0" with threshold > 0.7', 'PASS', { 'Dataset.*.CustomSQL.Compliance': 0.75 }],
  ['CustomSql "select id from primary where amount > 0"', 'FAIL'],
  ['CustomSql "select 1 as a, 2 as b" = 1', 'ERROR'],
  ['CustomSql "select 1 as nope"', 'ERROR'],
  ['ColumnExists "amount"', 'PASS'],
  ['ColumnExists "nope"', 'FAIL'],
  ['ColumnNamesMatchPattern "^[a-z]+$"', 'PASS'],
  ['ColumnNamesMatchPattern "^c"', 'FAIL', { 'Dataset.*.ColumnNamesPatternMatchRatio': 4 / 7 }],
  ['(IsComplete "id") and (IsUnique "id")', 'PASS'],
  ['(IsComplete "amount") or (RowCount = 8)', 'PASS'],
  ['(IsComplete "amount") and (RowCount = 8)', 'FAIL'],
  ['((IsComplete "amount") or (IsUnique "id")) and (Mean "status" > 0)', 'ERROR'],
  ['((IsComplete "amount") or (Mean "status" > 0)) and (RowCount = 0)', 'FAIL'],
  // c1 c2 c2 c3 c4 are customers; NULL and c5 ×2 are not
  ['ReferentialIntegrity "customer" "customers.customer" = 0.625', 'PASS', { 'Column.customers.ReferentialIntegrity': 0.625 }],
  ['ReferentialIntegrity "customer" "customers.{customer}" >= 0.9', 'FAIL'],
  ['RowCountMatch "customers" = 2.0', 'PASS', { 'Dataset.customers.RowCountMatch': 2 }],
  ['SchemaMatch "customers" = 1.0', 'FAIL'],
  ['AggregateMatch "sum(amount)" "sum(payments.paid)" = 1.0', 'PASS'],
  ['AggregateMatch "avg(amount)" "avg(prior.amount)" > 0.9', 'PASS'],
  // id 2 differs; id 3 has NULL on both sides
  ['DatasetMatch "prior" "id" "amount" = 0.875', 'PASS', { 'Dataset.prior.DatasetMatch': 0.875 }],
  ['DatasetMatch "prior" "id->id" >= 0.9', 'ERROR'], // prior lacks the other columns
  ['DetectAnomalies "RowCount"', 'PASS'], // no history yet
  ['FileSize "s3://bucket/" > 1 MB', 'ERROR'],
];

describe('every rule type, judged on a hand-checked dataset', () => {
  let results: Awaited<ReturnType<typeof evaluateText>>;
  beforeAll(async () => {
    results = await evaluateText(rules(...TABLE.map(([r]) => r)), orders, { references, now: NOW });
  });
  it('evaluates without errors', () => {
    expect(results.errors).toEqual([]);
    expect(results.evaluation!.rules).toHaveLength(TABLE.length);
  });
  it.each(TABLE.map(([rule, outcome, metrics], i) => [rule, outcome, metrics ?? {}, i] as const))('%s → %s', (_rule, outcome, metrics, i) => {
    const r = results.evaluation!.rules[i]!;
    expect(r.result, r.message).toBe(outcome);
    if (outcome !== 'PASS') expect(r.message).toBeTruthy();
    for (const [k, v] of Object.entries(metrics)) expect(r.metrics[k], k).toBeCloseTo(v, 6);
  });
  it('scores passed rules over all rules', () => {
    const e = results.evaluation!;
    expect(e.score).toBeCloseTo(e.rules.filter((r) => r.result === 'PASS').length / TABLE.length, 12);
  });
});

describe('messages', () => {
  it.each([
    ['ColumnValues "country" in ["US", "CA", "UK", "DE"]', 'Value: NULL does not meet the constraint requirement!'], // only the NULL fails
    ['ColumnValues "amount" > 0', 'Value: -1.0 does not meet the constraint requirement!'], // the minimum
    ['ColumnValues "status" in ["ok"]', 'Value: 0.625 does not meet the constraint requirement!'], // the compliance
    ['IsUnique "customer"', 'Value: 0.42857142857142855 does not meet the constraint requirement!'],
    ['DataFreshness "created" <= 24 hours', '62.50 % of rows passed the threshold'],
  ] as const)('%s', async (rule, message) => {
    const { evaluation } = await evaluateText(rules(rule), orders, { now: NOW });
    expect(evaluation!.rules[0]!.message).toBe(message);
  });
});

describe('dynamic rules read history', () => {
  it.each([
    ['RowCount > avg(last(3))', [4, 6, 8], 'PASS', 'RowCount > 6.0'],
    ['RowCount > max(last(2))', [9, 4, 12], 'FAIL', 'RowCount > 9.0'],
    ['RowCount >= index(last(3), 1) + 2', [1, 6, 3], 'PASS', 'RowCount >= 8.0'],
    ['RowCount between min(last(5)) - 1 and max(last(5)) + 1', [7, 8, 9], 'PASS', 'RowCount between 6.0 and 10.0'],
    ['RowCount > avg(last(3))', [], 'PASS', 'RowCount > 0.0'],
    ['Completeness "customer" >= std(last(4))', [1, 0], 'PASS', 'Completeness "customer" >= 0.5'],
    ['RowCount = abs(index(last(2), 0) - index(last(2), 1))', [2, 10], 'PASS', 'RowCount = 8.0'],
  ] as const)('%s with history %j → %s', async (rule, history, outcome, evaluated) => {
    const key = rule.startsWith('Completeness') ? 'Column.customer.Completeness' : 'Dataset.*.RowCount';
    const { evaluation } = await evaluateText(rules(rule), orders, { history: (k) => (k === key ? history : []) });
    expect(evaluation!.rules[0]!.result).toBe(outcome);
    expect(evaluation!.rules[0]!.evaluatedRule).toBe(evaluated);
  });

  it.each([
    ['DetectAnomalies "RowCount"', 'Dataset.*.RowCount', [8, 8, 8], 'PASS'],
    ['DetectAnomalies "RowCount"', 'Dataset.*.RowCount', [100, 101, 99, 100], 'FAIL'],
    ['DetectAnomalies of Completeness of "customer"', 'Column.customer.Completeness', [0.87, 0.88, 0.875], 'PASS'],
    ['DetectAnomalies "Completeness" "customer"', 'Column.customer.Completeness', [1, 1, 1], 'FAIL'],
    ['DetectAnomalies "ColumnLength" "code"', 'Column.code.MaximumLength', [4, 4, 5, 4], 'PASS'],
    ['DetectAnomalies "ColumnLength" "code"', 'Column.code.MaximumLength', [9, 9, 9], 'FAIL'],
  ] as const)('%s with %s history %j → %s', async (rule, key, history, outcome) => {
    // Other metrics of the rule (MinimumLength) have a steady history at their current value.
    const steady = (k: string) => (k === 'Column.code.MinimumLength' ? [0, 0, 0] : []);
    const { evaluation } = await evaluateText(rules(rule), orders, { history: (k) => (k === key ? history : steady(k)) });
    expect(evaluation!.rules[0]!.result, evaluation!.rules[0]!.message).toBe(outcome);
  });

  it('keeps each metric under its history key, where clauses included', async () => {
    const { evaluation } = await evaluateText(rules('RowCount > 0', 'RowCount > 0 where "id > 4"', 'IsComplete "id"'), orders);
    expect(evaluation!.history).toEqual({ 'Dataset.*.RowCount': 8, 'Dataset.*.RowCount (where: id > 4)': 4, 'Column.id.Completeness': 1 });
  });
});

describe('labels, analyzers', () => {
  it('merges DefaultLabels with a rule’s own labels', async () => {
    const text = 'DefaultLabels = ["team"="data", "tier"="1"]\nRules = [ RowCount > 0 labels=["tier"="2"], IsComplete "id" ]';
    const { evaluation } = await evaluateText(text, orders);
    expect(evaluation!.rules.map((r) => r.labels)).toEqual([{ team: 'data', tier: '2' }, { team: 'data', tier: '1' }]);
  });

  it('analyzers record metrics and never fail', async () => {
    const text = 'Analyzers = [ RowCount, Completeness "customer", ColumnValues "amount", ColumnValues "code", ColumnLength "code", CustomSql "select max(id) from primary", Mean "status", AllStatistics "amount" ]';
    const { evaluation, errors } = await evaluateText(text, orders);
    expect(errors).toEqual([]);
    const [rowCount, completeness, values, lengths, columnLength, customSql, mean, all] = evaluation!.analyzers;
    expect(rowCount!.metrics).toEqual({ 'Dataset.*.RowCount': 8 });
    expect(completeness!.metrics).toEqual({ 'Column.customer.Completeness': 0.875 });
    expect(values!.metrics).toEqual({ 'Column.amount.Minimum': -1, 'Column.amount.Maximum': 100 });
    expect(lengths!.metrics).toEqual({ 'Column.code.MinimumLength': 0, 'Column.code.MaximumLength': 4 });
    expect(columnLength!.metrics).toEqual({ 'Column.code.MinimumLength': 0, 'Column.code.MaximumLength': 4 });
    expect(customSql!.metrics).toEqual({ 'Dataset.*.CustomSQL': 8 });
    expect(mean!.message).toMatch(/not numeric/);
    expect(Object.keys(all!.metrics).sort()).toEqual(
      ['Completeness', 'DistinctValuesCount', 'Entropy', 'Maximum', 'Mean', 'Minimum', 'StandardDeviation', 'Sum', 'UniqueValueRatio', 'Uniqueness'].map((m) => `Column.amount.${m}`).sort(),
    );
    expect(evaluation!.rules).toEqual([]);
    expect(evaluation!.score).toBe(1);
  });
});

async function readParquet(file: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(`SELECT * FROM read_parquet('${file}') ORDER BY id`)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('row-level results', () => {
  it.each([
    ['IsComplete and ColumnValues', ['IsComplete "amount"', 'ColumnValues "status" in ["ok", "late"]'], [3, 5]],
    ['IsUnique (NULL rows pass)', ['IsUnique "customer"'], [2, 3, 7, 8]],
    ['where: rows outside pass', ['ColumnValues "amount" > 6 where "status = \'ok\'"'], [4]],
    ['dataset-level rules only', ['RowCount = 0'], []],
    ['a composite: row-level members per row, others as their outcome', ['(IsComplete "amount") or (RowCount = 0)', '(ColumnLength "code" <= 2) and (RowCount = 8)'], [2, 3]],
    ['ReferentialIntegrity', ['ReferentialIntegrity "customer" "customers.customer" > 0'], [4, 7, 8]],
    ['CustomSql row-level', ['CustomSql "select id from primary where amount > 6" with threshold > 0'], [3, 4, 5]],
  ] as const)('%s', async (_name, ruleList, failedIds) => {
    const out = tempDir('dq-rows-');
    try {
      const target = { passed: path.join(out, 'passed.parquet'), failed: path.join(out, 'failed.parquet') };
      const { rowLevel, errors } = await evaluateText(rules(...ruleList), orders, { references, rowLevel: target, now: NOW });
      expect(errors).toEqual([]);
      expect(rowLevel).toEqual({ rowsIn: 8, rowsPassed: 8 - failedIds.length, rowsFailed: failedIds.length });
      const failed = await readParquet(target.failed);
      const passed = await readParquet(target.passed);
      expect(failed.map((r) => Number(r['id'])).sort()).toEqual([...failedIds].sort());
      expect(passed.length + failed.length).toBe(8);
      expect(Object.keys(passed[0] ?? {})).not.toContain('DataQualityRulesFail');
      for (const row of failed) {
        expect(row['DataQualityEvaluationResult']).toBe('Failed');
        expect((row['DataQualityRulesFail'] as unknown[]).length).toBeGreaterThan(0);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('lists passed, failed and skipped rules per row', async () => {
    const out = tempDir('dq-rows-');
    try {
      const target = { passed: path.join(out, 'p.parquet'), failed: path.join(out, 'f.parquet') };
      await evaluateText(rules('IsComplete "amount"', 'IsComplete "id"', 'RowCount > 0'), orders, { rowLevel: target });
      const [row] = await readParquet(target.failed);
      expect(row).toMatchObject({ id: 3n, DataQualityRulesPass: ['IsComplete "id"'], DataQualityRulesFail: ['IsComplete "amount"'], DataQualityRulesSkip: ['RowCount > 0'] });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
