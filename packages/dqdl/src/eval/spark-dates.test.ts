/**
 * Text read as dates and timestamps the way Spark's stringToDate / stringToTimestamp read it,
 * on CSV, JSON lines and Parquet, in where clauses, ColumnDataType and ColumnValues; typed
 * columns cast as Spark casts them. (Where clauses in general: spark-sql.test.ts.)
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateText, rules, tempDir, writeData } from './testing.js';
import type { DataFormat, DataInput } from './types.js';

const FORMATS: readonly DataFormat[] = ['csv', 'jsonl', 'parquet'];
const dir = tempDir('dq-spark-dates-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Text as Spark's stringToDate / stringToTimestamp read it (SparkDateTimeUtils): [text,
 * the date it is (or null), whether it is a timestamp].
 */
const DATES: ReadonlyArray<readonly [string, string | null, boolean]> = [
  ['2024-01-05', '2024-01-05', true],
  ['2024/01/05', null, false],
  ['2024-1-5', '2024-01-05', true],
  [' 2024-01-05 ', '2024-01-05', true], // trimmed
  ['2024-01-05\t', '2024-01-05', true],
  ['2024-01-05T10:00', '2024-01-05', true],
  ['20240105', null, false], // 8 digits are no year
  ['2024-02-30', null, false], // no such day
  ['2024-13-01', null, false],
  ['2024', '2024-01-01', true],
  ['2024-01', '2024-01-01', true],
  ['+2024-01-05', '2024-01-05', true],
  ['2024-01-05 and then text', '2024-01-05', false], // a date ignores what follows a space or T; a timestamp does not
  ['2024-01-05T', '2024-01-05', false],
  ['2024-01-05 25:00', '2024-01-05', false],
  ['2024-01-05 10:30:00Z', '2024-01-05', true],
  ['2024-01-05T10:30:00.123456789+01:00', '2024-01-05', true],
  ['2024-01-05 10:00:00 Europe/Paris', '2024-01-05', true],
  ['2024-01-05 10:00:00 No/Such_Zone', '2024-01-05', false],
  ['10:30:00', null, true], // a time alone is today, as a timestamp
  ['01/05/2024', null, false],
  ['Jan 5 2024', null, false],
  ['2024-01-05garbage', null, false],
  ['12345-01-05', '12345-01-05', true], // 4 to 7 digits for a date, 4 to 6 for a timestamp
  ['1234567-01-05', '1234567-01-05', false],
];

describe.each(FORMATS)('text as Spark reads dates and timestamps (%s)', (format) => {
  let data: DataInput;
  beforeAll(async () => {
    data = { files: [await writeData(dir, `dates-${format}`, format, DATES.map(([d], i) => ({ id: i + 1, d })))] };
  });

  it.each(DATES.map((row, i) => [JSON.stringify(row[0]), i + 1, ...row] as const))('%s', async (_title, id, _text, date, timestamp) => {
    const where = `where "id = ${id}"`;
    const { evaluation, errors } = await evaluateText(
      rules(
        `ColumnDataType "d" = "DATE" ${where}`,
        `ColumnDataType "d" = "TIMESTAMP" ${where}`,
        `ColumnValues "d" = "2024-01-05" ${where}`,
        `ColumnValues "d" between "2024-01-04" and "2024-01-06" ${where}`,
        `RowCount = 1 where "id = ${id} and cast(d as date) ${date === null ? 'is null' : `= date '${date}'`}"`,
      ),
      data,
    );
    expect(errors).toEqual([]);
    const results = evaluation?.rules.map((r) => r.result);
    const jan5 = date === '2024-01-05' ? 'PASS' : 'FAIL';
    expect(results).toEqual([date !== null ? 'PASS' : 'FAIL', timestamp ? 'PASS' : 'FAIL', jan5, jan5, 'PASS']);
  });
});

describe('ColumnDataType on typed columns: Spark casts them', () => {
  it.each([
    ['b', 'INTEGER', 'PASS'], // booleans are 1 and 0
    ['b', 'DOUBLE', 'PASS'],
    ['b', 'DATE', 'FAIL'],
    ['n', 'INTEGER', 'PASS'], // 1.5 is 1
    ['n', 'BOOLEAN', 'PASS'], // numbers are true unless 0
    ['n', 'DATE', 'FAIL'], // numbers are no dates
    ['dt', 'TIMESTAMP', 'PASS'],
    ['ts', 'DATE', 'PASS'],
    ['ts', 'INTEGER', 'FAIL'],
  ])('%s = %s: %s', async (column, type, result) => {
    const rows = [{ b: true, n: 1.5, dt: '2024-01-05', ts: '2024-01-05 10:00:00' }];
    const data = { files: [await writeData(dir, `typed-${column}-${type}`, 'parquet', rows, { types: { b: 'BOOLEAN', n: 'DOUBLE', dt: 'DATE', ts: 'TIMESTAMP' } })] };
    const { evaluation, errors } = await evaluateText(rules(`ColumnDataType "${column}" = "${type}"`), data);
    expect(errors).toEqual([]);
    expect(evaluation?.rules[0]?.result).toBe(result);
  });
});

describe('CSV dates stay text, read as Spark reads them', () => {
  it.each([
    ['2024/01/05', 'FAIL'],
    ['05/01/2024', 'FAIL'],
    ['2024-01-05', 'PASS'],
  ])('a column of %s only: ColumnDataType DATE %s', async (d, result) => {
    const data = { files: [await writeData(dir, `only-${d.replaceAll('/', '_')}`, 'csv', [{ d }, { d }])] };
    const { evaluation, errors } = await evaluateText(rules('ColumnDataType "d" = "DATE"'), data);
    expect(errors).toEqual([]);
    expect(evaluation?.rules[0]?.result).toBe(result);
  });
});

describe('a date operand is read as Spark reads it too', () => {
  it('"2024-02-30" is no date: every row fails, as deequ compares to_date(c) with NULL', async () => {
    const data = { files: [await writeData(dir, 'operand', 'csv', [{ d: '2024-01-05' }, { d: '2024-03-01' }])] };
    const { evaluation, errors } = await evaluateText(rules('ColumnValues "d" > "2024-02-30"', 'ColumnValues "d" > "2024-02-28"'), data);
    expect(errors).toEqual([]);
    expect(evaluation?.rules.map((r) => [r.result, r.metrics['Column.d.ColumnValues.Compliance']])).toEqual([
      ['FAIL', 0],
      ['FAIL', 0.5],
    ]);
  });
});
