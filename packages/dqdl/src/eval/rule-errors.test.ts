/**
 * One bad rule does not void the ruleset (as in AWS Glue): a rule with a binding problem
 * (an unknown column, an invalid where clause, a CustomSql statement that does not bind,
 * unsafe SQL, a misused dynamic function, a missing reference dataset) is ERROR with a
 * specific message and its problems (code and position); every other rule is scanned and
 * judged; composites combine the ERROR by their logic; the score counts it as not passed.
 * On CSV, JSON lines and Parquet alike.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateText, rules, tempDir, writeData } from './testing.js';
import type { DataFormat, RuleResult } from './types.js';

const dir = tempDir('dq-rule-errors-');
const files: Partial<Record<DataFormat, string>> = {};
const ROWS = [
  { id: 1, amount: 10, status: 'ok' },
  { id: 2, amount: null, status: 'late' },
  { id: 3, amount: 5, status: 'ok' },
];
beforeAll(async () => {
  for (const format of ['csv', 'jsonl', 'parquet'] as const) {
    files[format] = await writeData(dir, `orders-${format}`, format, ROWS, format === 'parquet' ? { types: { id: 'BIGINT', amount: 'DOUBLE', status: 'VARCHAR' } } : {});
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const outcomes = (rs: readonly RuleResult[]) => rs.map((r) => r.result);

describe.each(['csv', 'jsonl', 'parquet'] as const)('%s', (format) => {
  const data = () => ({ files: [files[format]!] });

  it('an unknown column errors its rule; the others are judged', async () => {
    const text = rules('RowCount = 3', 'IsComplete "amont"', 'IsComplete "amount"', 'Mean "amount" = 7.5');
    const { evaluation, errors } = await evaluateText(text, data());
    expect(errors).toEqual([]);
    const r = evaluation!.rules;
    expect(outcomes(r)).toEqual(['PASS', 'ERROR', 'FAIL', 'PASS']);
    expect(r[1]!.message).toBe('the dataset has no column "amont" (columns: id, amount, status)');
    expect(r[1]!.metrics).toEqual({});
    expect(r[1]!.problems).toMatchObject([{ code: 'dq.column-not-found' }]);
    expect(text.slice(r[1]!.problems![0]!.pos![0]).startsWith('"amont"')).toBe(true);
    expect(r[0]!.metrics['Dataset.*.RowCount']).toBe(3);
    expect(r[2]!.metrics['Column.amount.Completeness']).toBeCloseTo(2 / 3);
    expect(r[3]!.metrics['Column.amount.Mean']).toBe(7.5);
    expect(evaluation!.score).toBe(0.5);
  });

  it('an invalid where clause errors its rule with Glue’s message; the others are judged', async () => {
    const text = rules('RowCount = 3', 'Completeness "amount" > 0.5 where "amount = = 1"', 'ColumnValues "status" in ["ok", "late"]');
    const { evaluation, errors } = await evaluateText(text, data());
    expect(errors).toEqual([]);
    const r = evaluation!.rules;
    expect(outcomes(r)).toEqual(['PASS', 'ERROR', 'PASS']);
    expect(r[1]!.message).toMatch(/^Rule Completeness "amount" > 0\.5 where "amount = = 1" has provided an invalid where clause : \S/);
    expect(r[1]!.problems).toMatchObject([{ code: 'dq.invalid-sql' }]);
    expect(r[2]!.metrics['Column.status.ColumnValues.Compliance']).toBe(1);
    expect(evaluation!.score).toBeCloseTo(2 / 3);
  });

  it('a where clause naming an unknown column errors its rule the same way', async () => {
    const { evaluation } = await evaluateText(rules('RowCount > 0 where "amont > 1"', 'RowCount = 3'), data());
    expect(outcomes(evaluation!.rules)).toEqual(['ERROR', 'PASS']);
    expect(evaluation!.rules[0]!.message).toBe('Rule RowCount > 0 where "amont > 1" has provided an invalid where clause : the dataset has no column "amont" (columns: id, amount, status)');
    expect(evaluation!.rules[0]!.problems).toMatchObject([{ code: 'dq.column-not-found' }]);
  });

  it('a CustomSql statement that does not bind errors its rule; the others are judged', async () => {
    const text = rules('CustomSql "select sum(nope) from primary" > 0', 'CustomSql "select count(*) from primary" = 3', 'IsComplete "id"');
    const { evaluation, errors } = await evaluateText(text, data());
    expect(errors).toEqual([]);
    const r = evaluation!.rules;
    expect(outcomes(r)).toEqual(['ERROR', 'PASS', 'PASS']);
    expect(r[0]!.message).toMatch(/^the CustomSql statement: .*"nope"/);
    expect(r[0]!.problems).toMatchObject([{ code: 'dq.column-not-found' }]);
    expect(r[1]!.metrics['Dataset.*.CustomSQL']).toBe(3);
  });

  it('composites combine an ERROR member by their logic', async () => {
    const text = rules(
      '(IsComplete "id") and (IsComplete "amont")',
      '(IsComplete "amount") and (IsComplete "amont")',
      '(IsComplete "id") or (IsComplete "amont")',
      '(IsComplete "amount") or (IsComplete "amont")',
    );
    const { evaluation } = await evaluateText(text, data());
    expect(outcomes(evaluation!.rules)).toEqual(['ERROR', 'FAIL', 'PASS', 'ERROR']);
    expect(evaluation!.rules[0]!.message).toBe('the dataset has no column "amont" (columns: id, amount, status)');
    expect(evaluation!.rules[0]!.problems).toMatchObject([{ code: 'dq.column-not-found' }]);
    expect(evaluation!.rules[2]!.metrics['Column.id.Completeness']).toBe(1);
    expect(evaluation!.score).toBe(0.25);
  });
});

describe('errored rules never execute their SQL', () => {
  it('an unsafe where clause or CustomSql is ERROR, and appears in no statement', async () => {
    const data = { files: [files.parquet!] };
    const text = rules(
      'RowCount > 0 where "amount > 1; DROP TABLE primary"',
      "CustomSql \"select count(*) from read_csv('/etc/passwd')\" > 0",
      'RowCount = 3',
    );
    const { evaluation, plan } = await evaluateText(text, data);
    expect(outcomes(evaluation!.rules)).toEqual(['ERROR', 'ERROR', 'PASS']);
    expect(evaluation!.rules[0]!.message).toMatch(/^Rule RowCount > 0 where "amount > 1; DROP TABLE primary" has provided an invalid where clause : /);
    expect(evaluation!.rules.map((r) => r.problems?.[0]?.code)).toEqual(['dq.unsafe-sql', 'dq.unsafe-sql', undefined]);
    const statements = [plan!.sql, ...plan!.queries].join('\n');
    expect(statements).not.toMatch(/DROP|passwd/);
  });

  it('what a rule asked of the plan before its error is not scanned', async () => {
    // Mean asks for avg("amount") and only then finds its condition misusing last(k).
    const { evaluation, plan } = await evaluateText(rules('Mean "amount" > last(5)', 'RowCount = 3'), { files: [files.parquet!] });
    expect(outcomes(evaluation!.rules)).toEqual(['ERROR', 'PASS']);
    expect(plan!.sql).toContain('count(*)');
    expect(plan!.sql).not.toContain('avg(');
  });

  it('misused dynamic functions and missing reference datasets error their rules', async () => {
    const text = rules('RowCount > last(5)', 'ReferentialIntegrity "id" "customers.id" = 1.0', 'RowCount = 3');
    const { evaluation } = await evaluateText(text, { files: [files.csv!] });
    expect(outcomes(evaluation!.rules)).toEqual(['ERROR', 'ERROR', 'PASS']);
    expect(evaluation!.rules.map((r) => r.problems?.[0]?.code)).toEqual(['dq.invalid-ruleset', 'dq.missing-reference', undefined]);
    expect(evaluation!.rules[1]!.message).toBe('no reference dataset "customers" was given');
  });

  it('an analyzer with an unknown column gives a message and no metrics; the others compute', async () => {
    const text = `${rules('RowCount = 3')}\nAnalyzers = [ Completeness "amont", Completeness "amount" ]`;
    const { evaluation } = await evaluateText(text, { files: [files.jsonl!] });
    expect(evaluation!.analyzers[0]).toMatchObject({ message: 'the dataset has no column "amont" (columns: id, amount, status)', metrics: {} });
    expect(evaluation!.analyzers[1]!.metrics['Column.amount.Completeness']).toBeCloseTo(2 / 3);
  });
});
