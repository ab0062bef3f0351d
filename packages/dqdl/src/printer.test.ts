import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRuleset, printRule, printRuleset, type NumExpr, type Rule, type Ruleset } from './index.js';

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'pos' && k !== 'typePos').map(([k, v]) => [k, strip(v)]));
}

function parse(text: string): Ruleset {
  const result = parseRuleset(text);
  expect(result.diagnostics).toEqual([]);
  return result.ruleset as Ruleset;
}
const rule = (text: string): Rule => parse(`Rules = [ ${text} ]`).rules[0] as Rule;

describe('printRule gives canonical text', () => {
  const table: [string, { given: string; want: string }][] = [
    ['spacing', { given: 'RowCount   >=   5', want: 'RowCount >= 5' }],
    ['lists without spaces', { given: 'ColumnValues "a" in [ "x" , "y" ]', want: 'ColumnValues "a" in ["x","y"]' }],
    ['keywords upper case', { given: 'ColumnValues "a" in [null, empty, whitespaces_only]', want: 'ColumnValues "a" in [NULL,EMPTY,WHITESPACES_ONLY]' }],
    ['composite operators upper case', { given: '(RowCount > 0) and (IsComplete "a") or (IsUnique "b")', want: '((RowCount > 0) AND (IsComplete "a")) OR (IsUnique "b")' }],
    ['composite operands get parentheses', { given: 'ColumnValues "x" != NULL AND ColumnLength "x" > 0', want: '(ColumnValues "x" != NULL) AND (ColumnLength "x" > 0)' }],
    ['connectors lower case', { given: 'Completeness OF col_1 > 0.5', want: 'Completeness of col_1 > 0.5' }],
    ['"! =" as "!="', { given: 'RowCount ! = 1', want: 'RowCount != 1' }],
    ['arithmetic spaced, redundant parentheses dropped', { given: 'RowCount > (avg(last(3)))*0.9', want: 'RowCount > avg(last(3)) * 0.9' }],
    ['grouping parentheses kept', { given: 'RowCount > 1-(2-3)', want: 'RowCount > 1 - (2 - 3)' }],
    ['function arguments without spaces', { given: 'RowCount > index( last( 5 ) , 0 )', want: 'RowCount > index(last(5),0)' }],
    ['where before tags, threshold first', { given: 'ColumnValues "c" > 1 where "d" with threshold > 0.5', want: 'ColumnValues "c" > 1 where "d" with threshold > 0.5' }],
    ['tags in source order', { given: 'FileMatch "a" "b" with b = "2" with a = 1', want: 'FileMatch "a" "b" with b = "2" with a = 1' }],
    ['labels compact', { given: 'IsComplete "a" labels = [ "k" = "v" , "k2"="v2" ]', want: 'IsComplete "a" labels=["k"="v", "k2"="v2"]' }],
    ['labels on a composite', { given: '(RowCount > 0 or IsComplete "a") labels=["k"="v"]', want: '((RowCount > 0) OR (IsComplete "a")) labels=["k"="v"]' }],
    ['strings exactly as written', { given: 'ColumnValues "a" = "x\\"y\\\\z"', want: 'ColumnValues "a" = "x\\"y\\\\z"' }],
    ['a variable set', { given: 'ColumnValues "a" in [$codes]', want: 'ColumnValues "a" in $codes' }],
    ['dates', { given: 'ColumnValues "a" in [ now() , ( now() + 4 days ) ]', want: 'ColumnValues "a" in [now(),(now() + 4 days)]' }],
    ['sizes', { given: 'FileSize not in [ 1 KB , 2 GB ]', want: 'FileSize not in [1 KB,2 GB]' }],
    ['bytes', { given: 'FileSize <= 1024', want: 'FileSize <= 1024' }],
  ];
  it.each(table)('%s', (_name, { given, want }) => {
    const doc = `codes = ["A"]\nRules = [ ${given} ]`;
    const printed = printRule(parse(doc).rules[0] as Rule);
    expect(printed).toBe(want);
    expect(strip(parse(`codes = ["A"]\nRules = [ ${printed} ]`).rules[0])).toEqual(strip(parse(doc).rules[0]));
  });
});

describe('printRuleset', () => {
  it('prints every section and reads back the same model', () => {
    const text = [
      'Metadata = { "Version": "1.0" }',
      'DataSources = { "Primary": "orders", "AdditionalDataSources": ["r1", "r2"] }',
      'sql = "select 1"',
      'codes = ["A", "B"]',
      'DefaultLabels = ["team" = "dq"]',
      'Rules = [ CustomSql $sql > 0, (ColumnValues "c" in $codes) or (RowCount > 5) ]',
      'Analyzers = [ RowCount, Completeness of "c" ]',
    ].join('\n');
    const printed = printRuleset(parse(text));
    expect(printed).toBe(
      [
        'Metadata = {',
        '    "Version": "1.0"',
        '}',
        '',
        'DataSources = {',
        '    "Primary": "orders",',
        '    "AdditionalDataSources": [ "r1", "r2" ]',
        '}',
        '',
        'sql = "select 1"',
        'codes = ["A", "B"]',
        '',
        'DefaultLabels = ["team"="dq"]',
        '',
        'Rules = [',
        '    CustomSql $sql > 0,',
        '    (ColumnValues "c" in $codes) OR (RowCount > 5)',
        ']',
        '',
        'Analyzers = [',
        '    RowCount,',
        '    Completeness of "c"',
        ']',
      ].join('\n'),
    );
    expect(strip(parse(printed))).toEqual(strip(parse(text)));
  });
});

/** Numeric expressions as the parser builds them: a binary right operand is always parenthesised. */
const numExpr: fc.Arbitrary<NumExpr> = fc.letrec<{ expr: NumExpr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.nat({ max: 999 }).map(String), fc.tuple(fc.nat({ max: 99 }), fc.nat({ max: 99 })).map(([a, b]) => `${a}.${b}`), fc.nat({ max: 99 }).map((n) => `-${n}`)).map(
      (text): NumExpr => ({ kind: 'number', text, value: Number(text), pos: [0, 0] }),
    ),
    fc.constant<NumExpr>({ kind: 'null', pos: [0, 0] }),
    fc.tuple(fc.constantFrom('avg', 'last', 'index', 'std', 'max'), fc.array(tie('expr'), { maxLength: 3 })).map(
      ([name, args]): NumExpr => ({ kind: 'call', name, args, pos: [0, 0] }),
    ),
    fc.tuple(fc.constantFrom('+', '-', '*', '/'), tie('expr'), tie('expr'), fc.boolean()).map(
      ([op, left, right, parenthesized]): NumExpr => ({
        kind: 'binary',
        op: op as '+',
        left,
        right: right.kind === 'binary' ? { ...right, parenthesized: true } : right,
        parenthesized,
        pos: [0, 0],
      }),
    ),
  ),
})).expr;

describe('print then parse', () => {
  it('gives back any numeric expression', () => {
    fc.assert(
      fc.property(numExpr, (expr) => {
        const r: Rule = {
          kind: 'rule',
          ruleType: 'RowCount',
          typePos: [0, 0],
          params: [],
          condition: { kind: 'number', op: '>', operands: [expr], pos: [0, 0] },
          tags: [],
          labels: [],
          pos: [0, 0],
        };
        const back = parseRuleset(`Rules = [ ${printRule(r)} ]`);
        expect(back.diagnostics).toEqual([]);
        expect(strip(back.ruleset?.rules[0])).toEqual(strip(r));
      }),
    );
  });
});
