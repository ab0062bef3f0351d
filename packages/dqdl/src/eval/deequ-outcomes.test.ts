/**
 * The 91 rule → Passed/Failed cases of deequ's DQDL spec (`deequ-outcomes.json`, from
 * awslabs/deequ EvaluateDataQualitySpec), each run on its dataset. The Scala datasets
 * are rebuilt here by hand (their columns are checked against the Scala text); the ones
 * the JSON leaves null (deequ's empty DataFrame, and a 50-column fixture) are an empty
 * file (no columns, no rows) and a one-row file with 50 columns. All cases of one dataset
 * run as one ruleset, in one evaluation.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DQDL_FIXTURES } from '../testing.js';
import { evaluateText, rules, tempDir, writeData, type Rows } from './testing.js';
import type { Evaluation } from './types.js';

const file = path.join(DQDL_FIXTURES, 'deequ-outcomes.json');

interface Group {
  test: string;
  dataset_scala: string | null;
  cases: { rule: string; passes: boolean }[];
}
const groups = (JSON.parse(readFileSync(file, 'utf8')) as { tests: Group[] }).tests;

/** The datasets, by test name: rows, or 'empty' for a DataFrame without columns. */
const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i + 1}`, i]));
const DATASETS: Readonly<Record<string, Rows | 'empty'>> = {
  'support ColumnCount rule with all operators': [
    { 'Building Code': 'JFK14', Floors: 15, City: 'New York', State: 'NY' },
    { 'Building Code': 'SEA53', Floors: 20, City: 'Seattle', State: 'WA' },
  ],
  'support ColumnCount with empty dataset with no columns': 'empty',
  'support ColumnCount with single column': [{ only_col: 'a' }, { only_col: 'b' }, { only_col: 'c' }],
  'support ColumnCount with many columns': [fifty],
  'support ColumnCount with all operators against zero-column dataset': 'empty',
  'support ColumnCount with negative thresholds': [{ c1: 'a', c2: 'b' }],
  'support ColumnCount with large thresholds': [{ c1: 'a', c2: 'b' }],
  'support ColumnCount at exact boundary values': [{ c1: 'a', c2: 'b', c3: 'c', c4: 'd' }],
};

const dir = tempDir('dq-deequ-');
const results = new Map<string, Evaluation>();

beforeAll(async () => {
  for (const [i, g] of groups.entries()) {
    const data = DATASETS[g.test];
    if (data === undefined) throw new Error(`no dataset for "${g.test}"`);
    let dataFile: string;
    if (data === 'empty') {
      dataFile = path.join(dir, `g${i}.csv`);
      writeFileSync(dataFile, '');
    } else {
      dataFile = await writeData(dir, `g${i}`, 'csv', data);
    }
    const { evaluation, errors } = await evaluateText(rules(...g.cases.map((c) => c.rule)), { files: [dataFile] });
    expect(errors).toEqual([]);
    results.set(g.test, evaluation!);
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('has 91 cases', () => {
  expect(groups.reduce((n, g) => n + g.cases.length, 0)).toBe(91);
});

describe.each(groups.map((g) => [g.test, g] as const))('%s', (_name, g) => {
  it('rebuilds the Scala dataset', () => {
    const data = DATASETS[g.test];
    if (g.dataset_scala === null || data === 'empty' || data === undefined) return;
    for (const column of Object.keys(data[0] ?? {})) expect(g.dataset_scala).toContain(`"${column}"`);
  });
  it.each(g.cases.map((c, i) => [`${c.rule} → ${c.passes ? 'Passed' : 'Failed'}`, i, c] as const))('%s', (_title, i, c) => {
    const result = results.get(g.test)!.rules[i]!;
    expect(result.rule.replace(/\s/g, '')).toBe(c.rule.replace(/\s/g, ''));
    expect(result.result).toBe(c.passes ? 'PASS' : 'FAIL');
  });
});
