/**
 * Metrics that are not finite numbers, as Spark and deequ give them: NaN (a mean over NaN
 * values, a deviation whose squares overflow, a correlation with a constant column) and
 * ±Infinity (a sum that overflows). DuckDB raises errors for some of these (STDDEV_POP is
 * out of range, a logarithm of zero); the rule must not ERROR, and its message must say the
 * value (NaN), not "no rows". Each case runs on CSV, JSON lines and Parquet.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateText, rules, tempDir, writeData, type Rows } from './testing.js';
import type { DataFormat, RuleResult } from './types.js';

const dir = tempDir('dq-nonfinite-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAX = Number.MAX_VALUE;
const FORMATS: readonly DataFormat[] = ['csv', 'jsonl', 'parquet'];

interface Case {
  readonly name: string;
  readonly rows: Rows;
  /** Parquet column types. */
  readonly types: Readonly<Record<string, string>>;
  readonly rule: string;
  readonly result: 'PASS' | 'FAIL';
  readonly metric: string;
  readonly value: number;
  readonly message?: string;
}

const xs = (...values: number[]): Rows => values.map((x) => ({ x }));
const DOUBLE = { x: 'DOUBLE' };
/** Rows of (x, y) pairs, both DOUBLE (XY). */
const xy = (...pairs: Array<[number, number]>): Rows => pairs.map(([x, y]) => ({ x, y }));
const XY = { x: 'DOUBLE', y: 'DOUBLE' };
const nanMessage = 'Value: NaN does not meet the constraint requirement!';
/** `m`·10^`e` in plain digits (DQDL numbers have no exponent). */
const digits = (m: number, e: number) => (BigInt(m) * 10n ** BigInt(e)).toString();

const CASES: readonly Case[] = [
  {
    name: 'Entropy where a value group has no rows in the where clause (ln 0 was evaluated before the FILTER)',
    rows: [
      { c: 'a', f: true },
      { c: 'b', f: false },
    ],
    types: { c: 'VARCHAR', f: 'BOOLEAN' },
    rule: 'Entropy "c" > 0 where "f = true"',
    result: 'FAIL',
    metric: 'Column.c.Entropy',
    value: 0,
    message: 'Value: 0.0 does not meet the constraint requirement!',
  },
  {
    name: 'Entropy where, two groups in scope and one out',
    rows: [
      { c: 'a', f: true },
      { c: 'b', f: false },
      { c: 'c', f: true },
    ],
    types: { c: 'VARCHAR', f: 'BOOLEAN' },
    rule: 'Entropy "c" > 0.69 where "f = true"',
    result: 'PASS',
    metric: 'Column.c.Entropy',
    value: Math.LN2,
  },
  { name: 'StandardDeviation whose squares overflow is NaN', rows: xs(1e300, MAX), types: DOUBLE, rule: 'StandardDeviation "x" > 0', result: 'FAIL', metric: 'Column.x.StandardDeviation', value: Number.NaN, message: nanMessage },
  { name: 'Variance whose squares overflow is NaN', rows: xs(1e300, MAX), types: DOUBLE, rule: 'Variance "x" > 0', result: 'FAIL', metric: 'Column.x.Variance', value: Number.NaN, message: nanMessage },
  { name: 'StandardDeviation of values with NaN is NaN', rows: xs(1, Number.NaN, 2), types: DOUBLE, rule: 'StandardDeviation "x" >= 0', result: 'FAIL', metric: 'Column.x.StandardDeviation', value: Number.NaN, message: nanMessage },
  { name: 'StandardDeviation of a single NaN is NaN (DuckDB gives 0)', rows: xs(Number.NaN), types: DOUBLE, rule: 'StandardDeviation "x" >= 0', result: 'FAIL', metric: 'Column.x.StandardDeviation', value: Number.NaN, message: nanMessage },
  { name: 'Variance with Infinity is NaN', rows: xs(1, Number.POSITIVE_INFINITY), types: DOUBLE, rule: 'Variance "x" >= 0', result: 'FAIL', metric: 'Column.x.Variance', value: Number.NaN, message: nanMessage },
  { name: 'StandardDeviation of large values whose squares do not overflow', rows: xs(1e150, 3e150), types: DOUBLE, rule: `StandardDeviation "x" between ${digits(999, 147)} and ${digits(1001, 147)}`, result: 'PASS', metric: 'Column.x.StandardDeviation', value: 1e150 },
  { name: 'Variance of large values whose squares do not overflow', rows: xs(1e150, 3e150), types: DOUBLE, rule: `Variance "x" between ${digits(999, 297)} and ${digits(1001, 297)}`, result: 'PASS', metric: 'Column.x.Variance', value: 1e300 },
  { name: 'Sum that overflows is Infinity, and compares as a number', rows: xs(MAX, MAX), types: DOUBLE, rule: 'Sum "x" > 0', result: 'PASS', metric: 'Column.x.Sum', value: Number.POSITIVE_INFINITY },
  { name: 'Sum that overflows below is -Infinity', rows: xs(-MAX, -MAX), types: DOUBLE, rule: 'Sum "x" > 0', result: 'FAIL', metric: 'Column.x.Sum', value: Number.NEGATIVE_INFINITY, message: 'Value: -Infinity does not meet the constraint requirement!' },
  { name: 'Mean whose sum overflows is Infinity', rows: xs(MAX, MAX), types: DOUBLE, rule: `Mean "x" > ${digits(1, 308)}`, result: 'PASS', metric: 'Column.x.Mean', value: Number.POSITIVE_INFINITY },
  { name: 'Mean of values with NaN is NaN, not "no rows"', rows: xs(1, Number.NaN, 2), types: DOUBLE, rule: 'Mean "x" > 0', result: 'FAIL', metric: 'Column.x.Mean', value: Number.NaN, message: nanMessage },
  { name: 'Sum of Infinity and -Infinity is NaN', rows: xs(1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), types: DOUBLE, rule: 'Sum "x" != 1', result: 'FAIL', metric: 'Column.x.Sum', value: Number.NaN, message: nanMessage },
  { name: 'ColumnCorrelation with a constant column is NaN', rows: xy([1, 5], [2, 5], [3, 5]), types: XY, rule: 'ColumnCorrelation "x" "y" > 0', result: 'FAIL', metric: 'Multicolumn.x,y.ColumnCorrelation', value: Number.NaN, message: nanMessage },
  { name: 'ColumnCorrelation whose squares overflow is NaN', rows: xy([1e300, 1], [-MAX, 2], [3, 3]), types: XY, rule: 'ColumnCorrelation "x" "y" > 0', result: 'FAIL', metric: 'Multicolumn.x,y.ColumnCorrelation', value: Number.NaN, message: nanMessage },
  { name: 'ColumnCorrelation with NaN values is NaN', rows: xy([1, 1], [Number.NaN, 2], [3, 3]), types: XY, rule: 'ColumnCorrelation "x" "y" > 0', result: 'FAIL', metric: 'Multicolumn.x,y.ColumnCorrelation', value: Number.NaN, message: nanMessage },
  { name: 'ColumnCorrelation of large values (scaled, the same value)', rows: xy([1e150, 1], [3e150, 2], [2e150, 3]), types: XY, rule: 'ColumnCorrelation "x" "y" between 0.49 and 0.51', result: 'PASS', metric: 'Multicolumn.x,y.ColumnCorrelation', value: 0.5 },
];

function expectValue(got: number | undefined, want: number): void {
  if (Number.isNaN(want) || !Number.isFinite(want) || want === 0) expect(got).toBe(want);
  else expect(Math.abs((got ?? Number.NaN) - want) / Math.abs(want)).toBeLessThan(1e-12);
}

describe.each(FORMATS)('non-finite metrics (%s)', (format) => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const file = await writeData(dir, `${c.metric}-${c.rule.length}-${CASES.indexOf(c)}-${format}`.replace(/[^\w.-]/g, '_'), format, c.rows, { types: c.types });
    const { evaluation, errors } = await evaluateText(rules(c.rule), { files: [file] });
    expect(errors).toEqual([]);
    const r = evaluation!.rules[0]!;
    expect({ result: r.result, message: r.message }).toEqual({ result: c.result, message: c.message });
    expectValue(r.metrics[c.metric], c.value);
    const key = c.rule.includes(' where ') ? `${c.metric} (where: f = true)` : c.metric;
    expectValue(evaluation!.history[key], c.value);
  });
});

describe('wide decimals (only Parquet has them): sums that overflow DECIMAL(38) are doubles, not errors', () => {
  const check = async (file: string, column: string, want: { sum: number; mean: number }) => {
    const { evaluation, errors } = await evaluateText(rules(`Sum "${column}" > ${digits(1, 38)}`, `Mean "${column}" > ${digits(1, 37)}`, `StandardDeviation "${column}" >= 0`), { files: [file] });
    expect(errors).toEqual([]);
    const [sum, mean, sd] = evaluation!.rules as RuleResult[];
    expect([sum!.result, mean!.result, sd!.result]).toEqual(['PASS', 'PASS', 'PASS']);
    expectValue(sum!.metrics[`Column.${column}.Sum`], want.sum);
    expectValue(mean!.metrics[`Column.${column}.Mean`], want.mean);
  };

  it('Parquet DECIMAL(38,0)', async () => {
    const file = await writeData(dir, 'wide-decimal', 'parquet', [{ d: '90000000000000000000000000000000000000' }, { d: '90000000000000000000000000000000000000' }], { types: { d: 'DECIMAL(38,0)' } });
    await check(file, 'd', { sum: 1.8e38, mean: 9e37 });
  });

  it('Parquet DECIMAL(38,18) that does not overflow is summed exactly, as Spark sums a decimal before deequ reads it as a double', async () => {
    const file = await writeData(dir, 'wide-decimal-tenths', 'parquet', Array.from({ length: 10 }, () => ({ d: '0.1' })), { types: { d: 'DECIMAL(38,18)' } });
    const { evaluation, errors } = await evaluateText(rules('Sum "d" = 1.0', 'Mean "d" = 0.1'), { files: [file] });
    expect(errors).toEqual([]);
    expect(evaluation!.rules.map((r) => [r.result, Object.values(r.metrics)[0]])).toEqual([
      ['PASS', 1],
      ['PASS', 0.1],
    ]);
  });
});

describe('analyzers keep non-finite metrics', () => {
  it.each(FORMATS)('AllStatistics over NaN values (%s)', async (format) => {
    const file = await writeData(dir, `all-stats-${format}`, format, xs(1, Number.NaN, 2), { types: DOUBLE });
    const { evaluation, errors } = await evaluateText(`Rules = [ RowCount > 0 ]\nAnalyzers = [ AllStatistics "x" ]`, { files: [file] });
    expect(errors).toEqual([]);
    const a = evaluation!.analyzers[0]!;
    expect(a.message).toBeUndefined();
    expect(a.metrics['Column.x.Mean']).toBeNaN();
    expect(a.metrics['Column.x.Sum']).toBeNaN();
    expect(a.metrics['Column.x.StandardDeviation']).toBeNaN();
    expect(a.metrics['Column.x.Maximum']).toBeNaN();
    expect(a.metrics['Column.x.Minimum']).toBe(1);
  });
});

describe('RowCountMatch with an empty reference is Infinity, with both empty NaN (not "no rows")', () => {
  it.each(FORMATS)('%s', async (format) => {
    const primary = await writeData(dir, `rcm-primary-${format}`, format, [{ id: 1 }, { id: 2 }], { types: { id: 'BIGINT' } });
    const emptyPrimary = await writeData(dir, `rcm-empty-primary-${format}`, format, [], { columns: ['id'], types: { id: 'BIGINT' } });
    const empty = await writeData(dir, `rcm-empty-${format}`, format, [], { columns: ['id'], types: { id: 'BIGINT' } });
    const references = { ref: { files: [empty] } };
    const one = await evaluateText(rules('RowCountMatch "ref" = 1.0'), { files: [primary] }, { references });
    expect(one.errors).toEqual([]);
    expect(one.evaluation!.rules[0]).toMatchObject({ result: 'FAIL', message: 'Value: Infinity does not meet the constraint requirement!', metrics: { 'Dataset.ref.RowCountMatch': Number.POSITIVE_INFINITY } });
    const none = await evaluateText(rules('RowCountMatch "ref" = 1.0'), { files: [emptyPrimary] }, { references });
    expect(none.errors).toEqual([]);
    expect(none.evaluation!.rules[0]!.message).toBe(nanMessage);
    expect(none.evaluation!.rules[0]!.metrics['Dataset.ref.RowCountMatch']).toBeNaN();
  });
});
