/** A dq_check's ruleset is checked with the DQDL parser, its problems placed in the spec file. */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/format.js';
import { MAX_EXCERPT } from '../../src/diagnostics/excerpt.js';
import { SourceText } from '../../src/diagnostics/source-text.js';
import { checkSpec, compileSpec } from '../../src/compile/compile-spec.js';

/** A spec whose one dq_check has `ruleset` as written (the YAML after `ruleset:`). */
function spec(ruleset: string): string {
  return [
    'apiVersion: dagwright/v1',
    'kind: Pipeline',
    'name: p',
    'schedule: "@daily"',
    'start_date: 2026-01-01',
    'tasks:',
    '  b: {type: bookmark, source: "s3://bucket/p/"}',
    '  q:',
    '    type: dq_check',
    '    input: b',
    `    ruleset: ${ruleset}`,
    '',
  ].join('\n');
}

/** Each diagnostic: its code, where it is in the spec file, and the text it marks there. */
function placed(text: string): { code: string; line: number; col: number; at: string; message: string }[] {
  const lines = new SourceText(text);
  return compileSpec('p.yaml', text).diagnostics.map((d) => ({ code: d.code, ...lines.locate(d.pos[0]), at: text.slice(d.pos[0], d.pos[1]), message: d.message }));
}

describe('a ruleset in a block literal', () => {
  it('places each problem at its line and column in the YAML file', () => {
    const text = spec(['|', '      Rules = [', '        IsComplete "order_id",', '        Foo "x",', '        ColumnValues "amount" between 10', '      ]'].join('\n'));
    expect(placed(text)).toEqual([
      { code: 'task.dqdl', line: 14, col: 9, at: 'Foo "x"', message: "ruleset line 3, column 3: dqdl.unknown-rule-type: unknown rule type 'Foo'" },
      { code: 'task.dqdl', line: 16, col: 7, at: ']', message: "ruleset line 5, column 1: dqdl.syntax: expected 'and', found ']'" },
    ]);
  });

  it('takes the indentation from the first line that is not blank', () => {
    const text = spec(['|', '', '      Rules = [ Foo "x" ]'].join('\n'));
    expect(placed(text).map(({ line, col, at }) => ({ line, col, at }))).toEqual([{ line: 13, col: 17, at: 'Foo "x"' }]);
  });

  it('prints a long ruleset line cut around the caret, at the line and column of the YAML file', () => {
    const rules = Array.from({ length: 20 }, (_, i) => `IsComplete "col_${i}"`).join(', ');
    const text = spec(['|', `      Rules = [ ${rules}, Foo "x", RowCount > 0 ]`].join('\n'));
    const [diagnostic] = compileSpec('p.yaml', text).diagnostics;
    const [header, , line, caret] = formatDiagnostic(diagnostic!, new SourceText(text)).split('\n');
    const col = text.split('\n')[11]!.indexOf('Foo') + 1;
    expect(header).toBe(`p.yaml:12:${col}: task.dqdl: ruleset line 1, column ${col - 6}: dqdl.unknown-rule-type: unknown rule type 'Foo'`);
    expect(line).toMatch(/^12 \| ….*, Foo "x", RowCount > 0 \]$/);
    expect(line!.length - '12 | '.length).toBeLessThanOrEqual(MAX_EXCERPT);
    expect(caret!.slice(caret!.indexOf('^'))).toBe('^^^^^^^');
    expect(line!.slice(caret!.indexOf('^'), caret!.length)).toBe('Foo "x"');
  });
});

describe('a ruleset in a quoted string', () => {
  it('marks the whole string, the ruleset line and column in the message', () => {
    expect(placed(spec('"Rules = [ RowCount > ]"'))).toEqual([
      { code: 'task.dqdl', line: 11, col: 14, at: '"Rules = [ RowCount > ]"', message: "ruleset line 1, column 22: dqdl.syntax: expected a value, found ']'" },
    ]);
  });
});

describe('what the evaluator refuses before reading data', () => {
  /** checkSpec's diagnostics, placed as `placed` places compileSpec's. */
  async function checked(text: string) {
    const lines = new SourceText(text);
    const { diagnostics, model } = await checkSpec('p.yaml', text);
    return { model, found: diagnostics.map((d) => ({ code: d.code, ...lines.locate(d.pos[0]), at: text.slice(d.pos[0], d.pos[1]), message: d.message })) };
  }

  it('places unsafe SQL, a regex RE2 lacks and a list where a number is needed at their line and column in the YAML file', async () => {
    const text = spec(['|', '      Rules = [', '        CustomSql "select a::int from primary -- note",', '        ColumnValues "x" matches "(?<=x)y",', '        RowCount > last(2)', '      ]'].join('\n'));
    const { model, found } = await checked(text);
    expect(model).toBeUndefined();
    expect(found.map(({ code, line, col, at }) => ({ code, line, col, at }))).toEqual([
      { code: 'task.dqdl', line: 13, col: 47, at: '-' },
      { code: 'task.dqdl', line: 14, col: 34, at: '"(?<=x)y"' },
      { code: 'task.dqdl', line: 15, col: 20, at: 'last(2)' },
    ]);
    expect(found.map((d) => d.message.slice(0, d.message.indexOf(':', 'ruleset line 2, column 41: '.length) + 1))).toEqual([
      'ruleset line 2, column 41: dq.unsafe-sql:',
      'ruleset line 3, column 28: dq.invalid-ruleset:',
      'ruleset line 4, column 14: dq.invalid-ruleset:',
    ]);
  });

  it('refuses CustomSql reading another table: a dq_check gives no reference datasets', async () => {
    const { found } = await checked(spec('"Rules = [ CustomSql \\"select count(*) from customers\\" > 0 ]"'));
    expect(found.map((d) => d.message)).toEqual([expect.stringMatching(/dq.unsafe-sql: the CustomSql statement may read only primary, not customers$/)]);
  });

  it('leaves a templated rule to the run (Airflow renders {{ ds_nodash }} first), and checks the others', async () => {
    const text = spec(['|', '      Rules = [', '        CustomSql "select count(*) from primary where day_key = {{ ds_nodash }}" > 0,', '        ColumnValues "x" matches "(?<=x)y"', '      ]'].join('\n'));
    const { found } = await checked(text);
    expect(found.map((d) => d.message.slice(0, d.message.indexOf(':', 'ruleset line 3, column 28: '.length) + 1))).toEqual(['ruleset line 3, column 28: dq.invalid-ruleset:']);
  });

  it('keeps the model of a spec whose ruleset the evaluator runs', async () => {
    const { model, found } = await checked(spec(`"Rules = [ RowCount > avg(last(3)) where \\"name rlike '^a'\\" ]"`));
    expect(found).toEqual([]);
    expect(model).toBeDefined();
  });
});
