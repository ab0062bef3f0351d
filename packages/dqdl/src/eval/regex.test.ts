/**
 * Every regex in DQDL runs in DuckDB's RE2 (linear time), in the CLI and the service alike:
 * a pattern that backtracks catastrophically in JavaScript's engine answers at once.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateText, rules, tempDir, writeData } from './testing.js';
import type { DataInput } from './types.js';

const dir = tempDir('dq-regex-');
const LONG = 'a'.repeat(34);
let data: DataInput;

beforeAll(async () => {
  data = { files: [await writeData(dir, 'wide', 'csv', [{ [LONG]: 'x', id: '1' }])] };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ColumnNamesMatchPattern', () => {
  it('runs a pattern that backtracks exponentially in JavaScript in linear time', async () => {
    const started = Date.now();
    const { evaluation } = await evaluateText(rules('ColumnNamesMatchPattern "^(\\\\w+)+!$"'), data);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(evaluation?.rules[0]).toMatchObject({ result: 'FAIL', message: `Columns that do not match the pattern: ${LONG}, id`, metrics: { 'Dataset.*.ColumnNamesPatternMatchRatio': 0 } });
  });

  it('matches anywhere in the name, as before', async () => {
    const { evaluation } = await evaluateText(rules('ColumnNamesMatchPattern "a{3}"'), data);
    expect(evaluation?.rules[0]).toMatchObject({ result: 'FAIL', message: 'Columns that do not match the pattern: id', metrics: { 'Dataset.*.ColumnNamesPatternMatchRatio': 0.5 } });
  });

  it('rejects what RE2 does not take, as ColumnValues matches does (back-references)', async () => {
    const names = await evaluateText(rules('ColumnNamesMatchPattern "(a)\\\\1"'), data);
    expect(names.evaluation?.rules[0]?.result).toBe('ERROR');
    expect(names.evaluation?.rules[0]?.message).toMatch(/^Invalid regex pattern '\(a\)\\1' for ColumnNamesMatchPattern rule: /);
    const values = await evaluateText(rules('ColumnValues "id" matches "(a)\\\\1"'), data);
    expect(values.evaluation?.rules[0]?.result).toBe('ERROR');
  });
});
