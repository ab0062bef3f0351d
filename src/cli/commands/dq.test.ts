/** `dagwright dq lint | fmt | eval`: exit codes and output. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../run.js';
import { evalCommand, fmtCommand, lintCommand } from './dq.js';

const dir = mkdtempSync(path.join(tmpdir(), 'dq-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

const data = file('orders.csv', 'id,amount,status\n1,10,ok\n2,,late\n3,5,ok\n');

describe('dq lint', () => {
  it('exit 0 for a valid ruleset', async () => {
    expect(await lintCommand(file('ok.dqdl', 'Rules = [ RowCount > 0 ]\n'))).toBe(0);
  });
  it('exit 1 with dqdl.too-complex at its place for 10,000 nested parentheses (no stack overflow)', async () => {
    const deep = file('deep.dqdl', `Rules = [ ${'('.repeat(10_000)}RowCount > 0${')'.repeat(10_000)} ]\n`);
    expect(await lintCommand(deep)).toBe(1);
    expect(err).toContain(`${deep}:1:111: dqdl.too-complex`);
  });
  it('exit 1 with every problem as file:line:col and a caret', async () => {
    const bad = file('bad.dqdl', 'Rules = [\n  RowCount > ,\n  IsCompete "id"\n]\n');
    expect(await lintCommand(bad)).toBe(1);
    expect(err).toContain(`${bad}:2:14: dqdl.syntax`);
    expect(err).toContain(`${bad}:3:3: dqdl.unknown-rule-type`);
    expect(err).toMatch(/\n3 \|   IsCompete "id"\n  \|   \^+/);
  });
  it('exit 1 for a file that cannot be read', async () => {
    expect(await lintCommand(path.join(dir, 'none.dqdl'))).toBe(1);
  });
});

describe('dq fmt', () => {
  const messy = 'Rules=[RowCount>0,\n IsComplete   "id"]';
  it('prints the canonical text', () => {
    expect(fmtCommand(file('m1.dqdl', messy), {})).toBe(0);
    expect(out).toBe('Rules = [\n    RowCount > 0,\n    IsComplete "id"\n]\n');
  });
  it('--check exits 3 until --write has run', () => {
    const f = file('m2.dqdl', messy);
    expect(fmtCommand(f, { check: true })).toBe(3);
    expect(fmtCommand(f, { write: true })).toBe(0);
    expect(fmtCommand(f, { check: true })).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe('Rules = [\n    RowCount > 0,\n    IsComplete "id"\n]\n');
  });
});

describe('dq eval', () => {
  it('prints a results table; exit 1 when a rule fails', async () => {
    const rules = file('r.dqdl', 'Rules = [ RowCount = 3, IsComplete "amount" ]');
    expect(await evalCommand({ data: [data], rules })).toBe(1);
    expect(out).toMatch(/Rule_0 +PASS +RowCount = 3/);
    expect(out).toMatch(/Rule_1 +FAIL +IsComplete "amount"/);
    expect(out).toContain('score 0.50: 1 of 2 rules passed, 3 rows');
  });
  it('--json prints Glue-shaped results; exit 0 when all pass', async () => {
    const rules = file('r2.dqdl', 'Rules = [ RowCount = 3 ]\nAnalyzers = [ Completeness "amount" ]');
    expect(await evalCommand({ data: [data], rules, json: true })).toBe(0);
    const json = JSON.parse(out) as { Score: number; RuleResults: { Name: string; Result: string }[]; AnalyzerResults: { EvaluatedMetrics: Record<string, number> }[] };
    expect(json.Score).toBe(1);
    expect(json.RuleResults[0]).toMatchObject({ Name: 'Rule_0', Result: 'PASS', Description: 'RowCount = 3' });
    expect(json.AnalyzerResults[0]!.EvaluatedMetrics['Column.amount.Completeness']).toBeCloseTo(2 / 3);
  });
  it('an unknown column: that rule ERROR with its message, file:line:col with a caret; the others judged; exit 1', async () => {
    const rules = file('r3.dqdl', 'Rules = [\n  IsComplete "amont",\n  RowCount = 3,\n  IsComplete "amount"\n]');
    expect(await evalCommand({ data: [data], rules })).toBe(1);
    expect(err).toContain(`${rules}:2:14: dq.column-not-found: the dataset has no column "amont"`);
    expect(err).toMatch(/\n2 \|   IsComplete "amont",\n  \| {14}\^+/);
    expect(out).toMatch(/Rule_0 +ERROR +IsComplete "amont" *\n +the dataset has no column "amont" \(columns: id, amount, status\)\n/);
    expect(out).toMatch(/Rule_1 +PASS +RowCount = 3 +Dataset\.\*\.RowCount=3/);
    expect(out).toMatch(/Rule_2 +FAIL +IsComplete "amount"/);
    expect(out).toContain('score 0.33: 1 of 3 rules passed, 3 rows');
  });
  it('--json: an invalid where clause and a CustomSql bind error are ERROR rules; the others are judged', async () => {
    const rules = file('r6.dqdl', 'Rules = [ RowCount = 3, IsComplete "id" where "amount = = 1", CustomSql "select sum(nope) from primary" > 0 ]');
    expect(await evalCommand({ data: [data], rules, json: true })).toBe(1);
    const json = JSON.parse(out) as { Score: number; RuleResults: { Result: string; EvaluationMessage?: string }[]; AggregatedMetrics: Record<string, number> };
    expect(json.RuleResults.map((r) => r.Result)).toEqual(['PASS', 'ERROR', 'ERROR']);
    expect(json.RuleResults[1]!.EvaluationMessage).toMatch(/^Rule IsComplete "id" where "amount = = 1" has provided an invalid where clause : /);
    expect(json.RuleResults[2]!.EvaluationMessage).toMatch(/"nope"/);
    expect(json.Score).toBeCloseTo(1 / 3);
    expect(json.AggregatedMetrics).toMatchObject({ TotalRulesProcessed: 3, TotalRulesPassed: 1, TotalRulesFailed: 2 });
    expect(err).toContain(`${rules}:1:57: dq.invalid-sql`);
    expect(err).toContain(`${rules}:1:73: dq.column-not-found`);
  });
  it('--ref and --history: dynamic rules see earlier runs', async () => {
    const history = path.join(dir, 'history.json');
    const ref = file('ids.csv', 'id\n1\n2\n3\n');
    const rules = file('r4.dqdl', 'Rules = [ RowCount >= avg(last(3)), ReferentialIntegrity "id" "ids.id" = 1.0 ]');
    expect(await evalCommand({ data: [data], rules, ref: [`ids=${ref}`], history })).toBe(0);
    expect(JSON.parse(readFileSync(history, 'utf8'))).toMatchObject({ 'Dataset.*.RowCount': [3] });
    writeFileSync(history, JSON.stringify({ 'Dataset.*.RowCount': [10, 10] }));
    expect(await evalCommand({ data: [data], rules, ref: [`ids=${ref}`], history })).toBe(1);
  });
  it('--json writes NaN and ±Infinity metrics as "NaN", "Infinity", "-Infinity"; a NaN mean says NaN, not "no rows"', async () => {
    const values = file('nonfinite.csv', 'x,big,neg\n1,1.7976931348623157e308,-1.7976931348623157e308\nNaN,1.7976931348623157e308,-1.7976931348623157e308\n');
    const rules = file('r6.dqdl', 'Rules = [ Mean "x" > 0, Sum "big" > 0, Sum "neg" < 0, ColumnCorrelation "big" "neg" > 0, Completeness "x" = 1 ]');
    expect(await evalCommand({ data: [values], rules, json: true })).toBe(1);
    const json = JSON.parse(out) as { RuleResults: { Result: string; EvaluationMessage?: string; EvaluatedMetrics: Record<string, unknown> }[] };
    expect(json.RuleResults.map((r) => [r.Result, r.EvaluatedMetrics])).toEqual([
      ['FAIL', { 'Column.x.Mean': 'NaN' }],
      ['PASS', { 'Column.big.Sum': 'Infinity' }],
      ['PASS', { 'Column.neg.Sum': '-Infinity' }],
      ['FAIL', { 'Multicolumn.big,neg.ColumnCorrelation': 'NaN' }],
      ['PASS', { 'Column.x.Completeness': 1 }],
    ]);
    expect(json.RuleResults[0]!.EvaluationMessage).toBe('Value: NaN does not meet the constraint requirement!');
  });
  it('--history keeps non-finite metrics as strings and reads them back as numbers', async () => {
    const history = path.join(dir, 'history-nonfinite.json');
    const values = file('nonfinite2.csv', 'x\n1.7976931348623157e308\n1.7976931348623157e308\n');
    const rules = file('r7.dqdl', 'Rules = [ Sum "x" >= max(last(2)) ]');
    writeFileSync(history, JSON.stringify({ 'Column.x.Sum': ['Infinity', 5] }));
    expect(await evalCommand({ data: [values], rules, history })).toBe(0);
    expect(JSON.parse(readFileSync(history, 'utf8'))).toEqual({ 'Column.x.Sum': ['Infinity', 'Infinity', 5] });
    const strict = file('r8.dqdl', 'Rules = [ Sum "x" > max(last(1)) ]');
    expect(await evalCommand({ data: [values], rules: strict, history })).toBe(1);
  });
  it('an empty --history file (touch history.json) is an empty history, written on success', async () => {
    const history = file('empty-history.json', '');
    const rules = file('r12.dqdl', 'Rules = [ RowCount > 0 ]');
    expect(await evalCommand({ data: [data], rules, history })).toBe(0);
    expect(JSON.parse(readFileSync(history, 'utf8'))).toEqual({ 'Dataset.*.RowCount': [3] });
  });
  it.each([
    ['not JSON', '[1,2', /:1:5: history\.not-json: not valid JSON: /],
    ['not JSON, on a later line', '{\n  "Dataset.*.RowCount": [3,\n    x]\n}\n', /:3:5: history\.not-json: not valid JSON: /],
    ['a list, not an object', '[1, 2]\n', /:1:1: history\.bad-shape: /],
    ['a key without a list', '{"Dataset.*.RowCount": 3}', /:1:24: history\.bad-shape: "Dataset\.\*\.RowCount" /],
    ['a value that is no metric', '{"Dataset.*.RowCount": [3, "three"]}', /:1:28: history\.bad-shape: "Dataset\.\*\.RowCount"\[1\] /],
  ])('a --history file that is %s: exit 2, where it is, and the file is left as it was', async (_name, text, want) => {
    const history = file('bad-history.json', text);
    const rules = file('r9.dqdl', 'Rules = [ RowCount >= avg(last(3)) ]');
    expect(await runCli(['node', 'dagwright', 'dq', 'eval', '--data', data, '--rules', rules, '--history', history])).toBe(2);
    expect(err).toMatch(new RegExp(`^${history.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${want.source}`));
    expect(err).not.toContain('internal error');
    expect(out).toBe('');
    expect(readFileSync(history, 'utf8')).toBe(text);
  });
  it('a data file that does not exist: exit 2, and why', async () => {
    const rules = file('r10.dqdl', 'Rules = [ RowCount > 0 ]');
    const nope = path.join(dir, 'nope.csv');
    expect(await runCli(['node', 'dagwright', 'dq', 'eval', '--data', nope, '--rules', rules])).toBe(2);
    expect(err).toBe(`dagwright: cannot read ${nope}: no such file or directory\n`);
  });
  it('a --ref file that does not exist: exit 2, and why', async () => {
    const rules = file('r11.dqdl', 'Rules = [ RowCount > 0 ]');
    const nope = path.join(dir, 'nope-ref.csv');
    expect(await evalCommand({ data: [data], rules, ref: [`ids=${nope}`] })).toBe(2);
    expect(err).toBe(`dagwright: cannot read ${nope}: no such file or directory\n`);
  });
  it('is registered in the CLI', async () => {
    const rules = file('r5.dqdl', 'Rules = [ RowCount = 3 ]');
    expect(await runCli(['node', 'dagwright', 'dq', 'eval', '--data', data, '--rules', rules])).toBe(0);
    expect(out).toContain('score 1.00');
  });
});
