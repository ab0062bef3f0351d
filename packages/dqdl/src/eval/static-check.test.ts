/**
 * What the evaluator refuses before reading data, found without data: the SQL guard of
 * where clauses and CustomSql, RE2's view of regular expressions, dynamic operands.
 */
import { describe, expect, it } from 'vitest';
import { parseRuleset } from '../index.js';
import { checkRulesetStatically, type StaticCheckOptions } from './static-check.js';
import { rules } from './testing.js';

/** Each problem: its code, the ruleset text from where it points, and its message. */
async function problems(text: string, options?: StaticCheckOptions) {
  const { ruleset, diagnostics } = parseRuleset(text);
  expect(diagnostics).toEqual([]);
  return (await checkRulesetStatically(ruleset!, options)).map((p) => ({ code: p.code, at: text.slice(p.pos[0]), message: p.message }));
}

describe('checkRulesetStatically', () => {
  it('refuses a second statement and a comment in CustomSql, at the offending text', async () => {
    const found = await problems(rules('CustomSql "select count(*) from primary; drop table x" > 0', 'CustomSql "select a::int from primary -- note"'));
    expect(found.map(({ code, at }) => ({ code, at: at.slice(0, 8) }))).toEqual([
      { code: 'dq.unsafe-sql', at: '; drop t' },
      { code: 'dq.unsafe-sql', at: '-- note"' },
    ]);
  });

  it('refuses a regex RE2 lacks, in a where clause and in matches', async () => {
    const found = await problems(rules(`RowCount > 0 where "name rlike '(?<=x)y'"`, 'ColumnValues "x" matches "(?<=x)y"'));
    expect(found.map(({ code, at }) => ({ code, at: at.slice(0, 10) }))).toEqual([
      { code: 'dq.invalid-sql', at: `'(?<=x)y'"` },
      { code: 'dq.invalid-ruleset', at: '"(?<=x)y"\n' },
    ]);
    expect(found[0]!.message).toMatch(/^Rule RowCount > 0 where .* has provided an invalid where clause : .*look-around/);
    expect(found[1]!.message).toMatch(/^invalid regular expression "\(\?<=x\)y": /);
  });

  it('refuses a ColumnNamesMatchPattern pattern RE2 cannot compile', async () => {
    const [found] = await problems(rules('ColumnNamesMatchPattern "(a"'));
    expect(found).toMatchObject({ code: 'dq.invalid-ruleset', at: expect.stringMatching(/^"\(a"/) });
    expect(found!.message).toMatch(/^Invalid regex pattern '\(a' for ColumnNamesMatchPattern rule: /);
  });

  it('refuses a list where a number is needed, and dynamic operands in a row condition', async () => {
    const found = await problems(rules('RowCount > last(2)', 'ColumnLength "x" > avg(last(3))', 'RowCount > avg(last(2))', 'ColumnValues "x" > 1 with threshold > avg(last(2))'));
    expect(found.map(({ code, at, message }) => ({ code, at: at.slice(0, 7), message }))).toEqual([
      { code: 'dq.invalid-ruleset', at: 'last(2)', message: 'a condition needs a number, not a list: aggregate it, e.g. avg(last(k))' },
      { code: 'dq.invalid-ruleset', at: 'avg(las', message: 'this rule does not take dynamic expressions' },
    ]);
  });

  it('checks the members of composites', async () => {
    const found = await problems(rules(`(RowCount > 0) and (IsComplete "a" where "a = 1; select 1")`));
    expect(found.map((p) => p.code)).toEqual(['dq.unsafe-sql']);
  });

  it('lets CustomSql read any unqualified table while the reference datasets are not known, and only those given otherwise', async () => {
    const text = rules('CustomSql "select count(*) from primary join customers using (id)" > 0');
    expect(await problems(text)).toEqual([]);
    expect(await problems(text, { references: ['customers'] })).toEqual([]);
    expect((await problems(text, { references: [] })).map((p) => p.code)).toEqual(['dq.unsafe-sql']);
    expect((await problems(rules('CustomSql "select count(*) from main.other" > 0'))).map((p) => p.code)).toEqual(['dq.unsafe-sql']);
  });

  it('accepts what the evaluator runs', async () => {
    expect(await problems(rules(`RowCount > 0 where "name rlike '^a'"`, 'CustomSql "select count(*) from primary" > 0', 'ColumnValues "x" matches "[a-z]+"'))).toEqual([]);
  });
});
