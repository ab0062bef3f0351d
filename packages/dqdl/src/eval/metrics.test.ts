/**
 * Metric values against independent computations (`reference-metrics.ts`): a fixed table
 * of awkward values (NULLs, empty strings, whitespace-only text, unicode, very large and
 * very small numbers), random datasets (fast-check), and how CSV blanks are read.
 */
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as ref from './reference-metrics.js';
import { evaluateText, rules, tempDir, writeData } from './testing.js';
import type { Evaluation } from './types.js';

const dir = tempDir('dq-metrics-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TEXT: (string | null)[] = ['a', '', '  ', '\t', null, 'ñandú', '😀', 'e\u0301', 'a', 'B', '\n ', 'a'];
const NUMS: (number | null)[] = [1e150, -5e149, 5e-324, 0, null, 1.5, -2.25, 1e-300, 3, 3, 2e150, null];
const INTS: (number | null)[] = [2 ** 53 - 1, 2 ** 53 - 2, -(2 ** 52), 7, null, 7, 0, 1, 2, 3, 4, 5];

const metricRules = (c: string, numeric: boolean) => [
  `Completeness "${c}" >= 0`,
  `Uniqueness "${c}" >= 0`,
  `DistinctValuesCount "${c}" >= 0`,
  `UniqueValueRatio "${c}" >= 0`,
  `Entropy "${c}" >= 0`,
  ...(numeric ? [`Mean "${c}" != 0.123`, `Sum "${c}" != 0.123`, `StandardDeviation "${c}" >= 0`, `Variance "${c}" >= 0`] : [`ColumnLength "${c}" >= 0`]),
];

function metricsOf(e: Evaluation): Record<string, number> {
  return Object.assign({}, ...e.rules.map((r) => r.metrics));
}

function expected(c: string, xs: readonly (string | number | null)[], numeric: boolean): Record<string, number | null> {
  const nums = xs as (number | null)[];
  return {
    [`Column.${c}.Completeness`]: ref.completeness(xs),
    [`Column.${c}.Uniqueness`]: ref.uniqueness(xs),
    [`Column.${c}.DistinctValuesCount`]: ref.distinct(xs),
    [`Column.${c}.UniqueValueRatio`]: ref.uniqueValueRatio(xs),
    [`Column.${c}.Entropy`]: ref.entropy(xs),
    ...(numeric
      ? { [`Column.${c}.Mean`]: ref.mean(nums), [`Column.${c}.Sum`]: ref.sum(nums), [`Column.${c}.StandardDeviation`]: ref.stddev(nums), [`Column.${c}.Variance`]: ref.variance(nums) }
      : {
          [`Column.${c}.MinimumLength`]: Math.min(...(xs as (string | null)[]).map(ref.codePoints)),
          [`Column.${c}.MaximumLength`]: Math.max(...(xs as (string | null)[]).map(ref.codePoints)),
        }),
  };
}

function expectClose(got: Record<string, number>, want: Record<string, number | null>): void {
  for (const [k, v] of Object.entries(want)) {
    if (!ref.close(got[k], v)) expect.fail(`${k}: got ${got[k]}, want ${v}`);
  }
}

describe('metrics of awkward values, against plain computations', () => {
  const rows = TEXT.map((s, i) => ({ s, x: NUMS[i] ?? null, i: INTS[i] ?? null }));
  const checks = [
    ...['parquet', 'jsonl'].map((format) => [`text column (${format})`, format, 's', TEXT, false] as const),
    ['doubles from 5e-324 to 2e150 (parquet)', 'parquet', 'x', NUMS, true] as const,
    ['integers near 2^53 (parquet BIGINT)', 'parquet', 'i', INTS, true] as const,
  ];
  it.each(checks)('%s', async (_name, format, column, values, numeric) => {
    const file = await writeData(dir, `awkward-${format}-${column}`, format as 'parquet', rows, { types: { s: 'VARCHAR', x: 'DOUBLE', i: 'BIGINT' } });
    const { evaluation, errors } = await evaluateText(rules(...metricRules(column, numeric)), { files: [file] });
    expect(errors).toEqual([]);
    expectClose(metricsOf(evaluation!), expected(column, values, numeric));
  });

  it('keyword and set compliance: NULL, EMPTY, WHITESPACES_ONLY, unicode', async () => {
    const file = await writeData(dir, 'keywords', 'parquet', rows, { types: { s: 'VARCHAR', x: 'DOUBLE', i: 'BIGINT' } });
    const table = [
      ['ColumnValues "s" in ["a", EMPTY] with threshold >= 0', (x: string | null) => x === 'a' || x === ''],
      ['ColumnValues "s" in [NULL, WHITESPACES_ONLY] with threshold >= 0', (x: string | null) => x === null || ref.isWhitespaceOnly(x)],
      ['ColumnValues "s" not in ["a", NULL] with threshold >= 0', (x: string | null) => x !== null && x !== 'a'],
      ['ColumnValues "s" != "a" with threshold >= 0', (x: string | null) => x !== 'a'],
      ['ColumnValues "s" = "😀" with threshold >= 0', (x: string | null) => x === '😀'],
      ['ColumnValues "s" matches "[a-zñú]+" with threshold >= 0', (x: string | null) => x !== null && /^[a-zñú]+$/u.test(x)],
      ['ColumnValues "s" not matches "a" with threshold >= 0', (x: string | null) => x !== null && x !== 'a'],
      ['ColumnValues "s" not in [EMPTY, WHITESPACES_ONLY] with threshold >= 0', (x: string | null) => x === null || (x !== '' && !ref.isWhitespaceOnly(x))],
    ] as const;
    const { evaluation } = await evaluateText(rules(...table.map(([r]) => r)), { files: [file] });
    table.forEach(([rule, pass], i) => {
      const got = evaluation!.rules[i]!.metrics['Column.s.ColumnValues.Compliance'];
      expect(ref.close(got, ref.ratio(TEXT, (x) => pass(x as string | null))), `${rule}: ${got}`).toBe(true);
    });
  });

  it('numeric compliance: NULL fails except for != and not in; between is exclusive', async () => {
    const file = await writeData(dir, 'numeric', 'parquet', rows, { types: { s: 'VARCHAR', x: 'DOUBLE', i: 'BIGINT' } });
    const table = [
      ['ColumnValues "i" > 2 with threshold >= 0', (x: number | null) => x !== null && x > 2],
      ['ColumnValues "i" between 0 and 7 with threshold >= 0', (x: number | null) => x !== null && x > 0 && x < 7],
      ['ColumnValues "i" not between 0 and 7 with threshold >= 0', (x: number | null) => x !== null && (x <= 0 || x >= 7)],
      ['ColumnValues "i" != 7 with threshold >= 0', (x: number | null) => x !== 7],
      ['ColumnValues "i" in [7, 3, NULL] with threshold >= 0', (x: number | null) => x === null || x === 7 || x === 3],
      ['ColumnValues "i" not in [7, 3] with threshold >= 0', (x: number | null) => x === null || (x !== 7 && x !== 3)],
      ['ColumnValues "i" = NULL with threshold >= 0', (x: number | null) => x === null],
      ['ColumnValues "x" <= 0.000001 with threshold >= 0', (x: number | null) => x !== null && x <= 0.000001],
    ] as const;
    const { evaluation } = await evaluateText(rules(...table.map(([r]) => r)), { files: [file] });
    table.forEach(([rule, pass], i) => {
      const column = rule.includes('"x"') ? 'x' : 'i';
      const got = evaluation!.rules[i]!.metrics[`Column.${column}.ColumnValues.Compliance`];
      const values = column === 'x' ? NUMS : INTS;
      expect(ref.close(got, ref.ratio(values, (x) => pass(x as number | null))), `${rule}: ${got}`).toBe(true);
    });
  });
});

describe('metrics of random datasets, against plain computations (fast-check)', () => {
  const text = fc.option(fc.constantFrom('a', 'b', 'ab', '', ' ', '\t\n', 'ß', '漢字', '🙂', 'A'), { nil: null, freq: 4 });
  const number = fc.option(fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })), { nil: null, freq: 4 });
  let run = 0;
  it('agree on 25 random datasets', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ t: text, n: number }), { minLength: 1, maxLength: 40 }), async (rows) => {
        const file = await writeData(dir, `random-${run++}`, 'parquet', rows, { types: { t: 'VARCHAR', n: 'DOUBLE' } });
        const { evaluation, errors } = await evaluateText(rules(...metricRules('t', false), ...metricRules('n', true)), { files: [file] });
        expect(errors).toEqual([]);
        const got = metricsOf(evaluation!);
        expectClose(got, expected('t', rows.map((r) => r.t), false));
        expectClose(got, expected('n', rows.map((r) => r.n), true));
      }),
      { numRuns: 25 },
    );
  });
});

describe('CSV as Glue reads it', () => {
  it('a blank is an empty string in a text column and NULL in a number column', async () => {
    const file = await writeData(dir, 'blanks', 'csv', [
      { name: 'x', qty: 1 },
      { name: null, qty: null },
      { name: 'y', qty: 3 },
    ]);
    const { evaluation } = await evaluateText(rules('Completeness "name" = 1', 'Completeness "qty" between 0.66 and 0.67', 'ColumnValues "name" in [EMPTY, "x", "y"]'), { files: [file] });
    expect(evaluation!.rules.map((r) => r.result)).toEqual(['PASS', 'PASS', 'PASS']);
  });
});
