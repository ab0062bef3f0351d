/**
 * Bad input gives errors as data (a code, and a position in the ruleset or the data file),
 * never an exception. A rule's binding problem (an unknown column, unsafe or broken SQL, a
 * misused dynamic function, a missing reference dataset) makes that rule ERROR, with the
 * problem; files that are not what they claim give no evaluation.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRuleset } from '../index.js';
import { evaluate } from './evaluate.js';
import { evaluateText, rules, tempDir, writeData } from './testing.js';
import type { EvalErrorCode } from './types.js';

const dir = tempDir('dq-errors-');
let data: string;
beforeAll(async () => {
  data = await writeData(dir, 'orders', 'parquet', [
    { id: 1, amount: 10, status: 'ok' },
    { id: 2, amount: null, status: 'late' },
  ], { types: { id: 'BIGINT', amount: 'DOUBLE', status: 'VARCHAR' } });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** [name, rule, code, the text the error's position starts at] */
const RULE_ERRORS: ReadonlyArray<readonly [string, string, EvalErrorCode, string]> = [
  ['unknown column', 'IsComplete "amont"', 'dq.column-not-found', '"amont"'],
  ['unknown column, several', 'IsUnique "id" "nope"', 'dq.column-not-found', '"nope"'],
  ['unknown column in a where clause', 'RowCount > 0 where "amont > 1"', 'dq.column-not-found', '"amont > 1"'],
  ['where: a second statement', 'RowCount > 0 where "amount > 1; DROP TABLE primary"', 'dq.unsafe-sql', '; DROP'],
  ['where: closing its parenthesis', 'RowCount > 0 where "amount > 1) OR (1 = 1"', 'dq.unsafe-sql', ') OR'],
  ['where: a comment', 'RowCount > 0 where "amount > 1 -- and more"', 'dq.unsafe-sql', '-- and'],
  ['where: a subquery reading a file', "RowCount > 0 where \"status IN (SELECT * FROM read_csv('/etc/passwd'))\"", 'dq.unsafe-sql', 'IN (SELECT'],
  ['where: not SQL', 'RowCount > 0 where "amount = = 1"', 'dq.invalid-sql', '= 1"'],
  ['where: a function outside the Spark SQL subset', 'RowCount > 0 where "amount > 0 and no_such_fn(amount) = 1"', 'dq.invalid-sql', 'no_such_fn'],
  ['where: does not bind', 'RowCount > 0 where "(amount > 0) + 1 = 2"', 'dq.invalid-sql', '"(amount'],
  ['where: an unterminated string', "RowCount > 0 where \"status = 'ok\"", 'dq.invalid-sql', "'ok"],
  ['CustomSql: DML', 'CustomSql "DELETE FROM primary" = 0', 'dq.unsafe-sql', 'DELETE'],
  ['CustomSql: two statements', 'CustomSql "select count(*) from primary; select 1" = 2', 'dq.unsafe-sql', '; select'],
  ['CustomSql: a table function', "CustomSql \"select count(*) from read_csv('/etc/passwd')\" > 0", 'dq.unsafe-sql', "read_csv"],
  ['CustomSql: another table', 'CustomSql "select count(*) from duckdb_settings()" > 0', 'dq.unsafe-sql', 'duckdb_settings'],
  ['CustomSql: does not parse', 'CustomSql "select count(*) fro primary" > 0', 'dq.invalid-sql', 'primary'],
  ['CustomSql: unknown column', 'CustomSql "select sum(nope) from primary" > 0', 'dq.column-not-found', '"select'],
  ['dynamic: a list where a number is needed', 'RowCount > last(5)', 'dq.invalid-ruleset', 'last(5)'],
  ['dynamic: an unknown function', 'RowCount > mean(last(5))', 'dq.invalid-ruleset', 'mean(last(5))'],
  ['dynamic: last(0)', 'RowCount > avg(last(0))', 'dq.invalid-ruleset', 'last(0)'],
  ['dynamic: in ColumnValues', 'ColumnValues "amount" > avg(last(3))', 'dq.invalid-ruleset', 'avg(last(3))'],
  ['reference dataset not given', 'ReferentialIntegrity "id" "customers.id" = 1.0', 'dq.missing-reference', '"customers.id"'],
  ['reference dataset not given (RowCountMatch)', 'RowCountMatch "ref" = 1.0', 'dq.missing-reference', '"ref"'],
];

describe('a rule error makes its rule ERROR, with a code and a position; the others run', () => {
  it.each(RULE_ERRORS)('%s', async (_name, rule, code, at) => {
    const text = rules('RowCount > 0', rule);
    const result = await evaluateText(text, { files: [data] });
    expect(result.errors).toEqual([]);
    const [other, bad] = result.evaluation!.rules;
    expect(other).toMatchObject({ result: 'PASS', metrics: { 'Dataset.*.RowCount': 2 } });
    expect(other!.problems).toBeUndefined();
    expect(bad!.result).toBe('ERROR');
    expect(bad!.message).toBe(bad!.problems!.map((e) => e.message).join('\n'));
    expect(bad!.problems!.map((e) => e.code)).toEqual([code]);
    const pos = bad!.problems![0]!.pos!;
    expect(text.slice(pos[0]).startsWith(at), `error at ${JSON.stringify(text.slice(pos[0], pos[0] + 20))}`).toBe(true);
  });

  it('an expression that fails while scanning errors only its rule', async () => {
    const { evaluation, errors } = await evaluateText(rules('RowCount = 2', "RowCount > 0 where \"amount + 'x' = 1\"", 'IsComplete "id"'), { files: [data] });
    expect(errors).toEqual([]);
    expect(evaluation!.rules.map((r) => r.result)).toEqual(['PASS', 'ERROR', 'PASS']);
  });

  it('reports the error of every rule, each on its own rule', async () => {
    const text = rules('IsComplete "a1"', 'Mean "a2" > 0', 'RowCount > 0 where "x; y"');
    const { evaluation, errors } = await evaluateText(text, { files: [data] });
    expect(errors).toEqual([]);
    expect(evaluation!.rules.map((r) => r.problems?.map((e) => e.code))).toEqual([['dq.column-not-found'], ['dq.column-not-found'], ['dq.unsafe-sql']]);
    expect(evaluation!.score).toBe(0);
  });

  it('places the error at the column name', async () => {
    const text = rules('IsComplete "amont"');
    const { evaluation } = await evaluateText(text, { files: [data] });
    const problem = evaluation!.rules[0]!.problems![0]!;
    expect([problem.code, problem.pos?.[0]]).toEqual(['dq.column-not-found', text.indexOf('"amont"')]);
  });
});

/** [name, file name, contents, format given] */
const BAD_FILES: ReadonlyArray<readonly [string, string, string | Buffer, 'csv' | 'jsonl' | 'parquet' | undefined]> = [
  ['text posing as Parquet', 'orders.parquet', 'id,amount\n1,2\n', undefined],
  ['a truncated Parquet file', 'cut.parquet', Buffer.from('PAR1\x00\x00\x00garbage'), undefined],
  ['binary posing as CSV', 'orders.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0xc3, 0x28, 0x0a, 0xa0, 0xa1]), undefined],
  ['CSV with a ragged row', 'ragged.csv', 'a,b\n1,2\n3,4,5,6\n7,8\n', 'csv'],
  ['malformed JSON lines', 'orders.jsonl', '{"a": 1}\n{"a": \n', undefined],
];

describe('data errors name the file (and the line, when the reader knows it)', () => {
  it.each(BAD_FILES)('%s', async (_name, name, contents, format) => {
    const file = path.join(dir, name);
    writeFileSync(file, contents);
    const result = await evaluateText(rules('RowCount > 0'), { files: [file], ...(format ? { format } : {}) });
    expect(result.errors.map((e) => e.code)).toEqual(['dq.invalid-data']);
    expect(result.errors[0]!.file).toBe(file);
  });

  it('a file that does not exist', async () => {
    const file = path.join(dir, 'missing.csv');
    const { errors } = await evaluateText(rules('RowCount > 0'), { files: [file] });
    expect(errors).toMatchObject([{ code: 'dq.invalid-data', file }]);
  });

  it('the line of a ragged CSV row', async () => {
    const file = path.join(dir, 'ragged2.csv');
    writeFileSync(file, 'a,b\n1,2\n3,4\n5,6,7\n');
    const { errors } = await evaluateText(rules('RowCount > 0'), { files: [file], format: 'csv' });
    expect(errors[0]?.line).toBe(4);
  });
});

it('a malformed ruleset is the parser’s: diagnostics, no evaluation', () => {
  const { ruleset, diagnostics } = parseRuleset('Rules = [ IsComplete ]');
  expect(ruleset).toBeUndefined();
  expect(diagnostics.length).toBeGreaterThan(0);
  expect(evaluate).toBeTypeOf('function');
});
