/**
 * DQDL errors (@dagwright/dqdl), placed by SourceText as `dagwright dq lint` and the spec
 * checks show them: asserted by code and position (offset, line and column), never by wording.
 */
import { parseRuleset, type DqdlCode } from '@dagwright/dqdl';
import { describe, expect, it } from 'vitest';
import { SourceText } from './source-text.js';

interface Want {
  readonly code: DqdlCode;
  /** The offending text, located by its first occurrence (or the `nth`, from 0); '' is the end. */
  readonly at: string;
  readonly nth?: number;
  readonly line: number;
  readonly col: number;
}

function located(text: string, want: Want): { code: DqdlCode; start: number; line: number; col: number } {
  let start = -1;
  for (let i = 0; i <= (want.nth ?? 0); i++) start = want.at === '' ? text.length : text.indexOf(want.at, start + 1);
  return { code: want.code, start, line: want.line, col: want.col };
}

function actual(text: string): { code: DqdlCode; start: number; line: number; col: number }[] {
  const lines = new SourceText(text);
  return parseRuleset(text).diagnostics.map((d) => ({ code: d.code, start: d.pos[0], ...lines.locate(d.pos[0]) }));
}

const table: [string, { given: string; want: Want[] }][] = [
  // syntax
  ['unterminated string', { given: 'Rules = [ IsComplete "a ]', want: [{ code: 'dqdl.unterminated-string', at: '"a', line: 1, col: 22 }, { code: 'dqdl.syntax', at: '', line: 1, col: 26 }] }],
  ['missing bracket', { given: 'Rules = [ RowCount > 1', want: [{ code: 'dqdl.syntax', at: '', line: 1, col: 23 }] }],
  ['trailing comma', { given: 'Rules = [ RowCount > 1, ]', want: [{ code: 'dqdl.syntax', at: ']', line: 1, col: 25 }] }],
  ['stray text after a rule', { given: 'Rules = [\n  RowCount > 1 rows\n]', want: [{ code: 'dqdl.syntax', at: 'rows', line: 2, col: 16 }] }],
  ['duration without unit', { given: 'Rules = [ ColumnValues "d" > (now() - 1) ]', want: [{ code: 'dqdl.syntax', at: ')', nth: 1, line: 1, col: 40 }] }],
  ['where after with', { given: 'Rules = [ ColumnValues "c" > 1 with threshold > 0.5 where "x" ]', want: [{ code: 'dqdl.syntax', at: 'where', line: 1, col: 53 }] }],
  ['single quotes', { given: "Rules = [ ColumnValues \"c\" = 'x' ]", want: [{ code: 'dqdl.syntax', at: "'x'", line: 1, col: 30 }] }],
  ['lower-case rule type', { given: 'Rules = [ isComplete "a" ]', want: [{ code: 'dqdl.unknown-rule-type', at: 'isComplete', line: 1, col: 11 }] }],
  ['// is not a comment', { given: '// c\nRules = [ RowCount > 1 ]', want: [{ code: 'dqdl.syntax', at: '/', line: 1, col: 1 }] }],
  // document
  ['nothing', { given: '  ', want: [{ code: 'dqdl.no-rules', at: '', line: 1, col: 3 }] }],
  ['empty rules', { given: 'Rules = []', want: [{ code: 'dqdl.no-rules', at: 'Rules', line: 1, col: 1 }] }],
  ['empty metadata', { given: 'Metadata = {}\nRules = [ RowCount > 1 ]', want: [{ code: 'dqdl.empty-dictionary', at: '{}', line: 1, col: 12 }] }],
  ['unknown metadata key', { given: 'Metadata = { "Owner": "me" }\nRules = [ RowCount > 1 ]', want: [{ code: 'dqdl.unsupported-key', at: '"Owner"', line: 1, col: 14 }] }],
  ['additional sources not a list', { given: 'DataSources = { "AdditionalDataSources": "r" }\nRules = [ RowCount > 1 ]', want: [{ code: 'dqdl.invalid-value', at: '"AdditionalDataSources"', line: 1, col: 17 }] }],
  ['sections out of order', { given: 'Rules = [ RowCount > 1 ]\nMetadata = { "Version": "1" }', want: [{ code: 'dqdl.section-order', at: 'Metadata', line: 2, col: 1 }] }],
  ['section twice', { given: 'Rules = [ RowCount > 1 ]\nRules = [ RowCount > 2 ]', want: [{ code: 'dqdl.duplicate-section', at: 'Rules', nth: 1, line: 2, col: 1 }] }],
  // variables
  ['variable undefined', { given: 'Rules = [ CustomSql $q ]', want: [{ code: 'dqdl.variable-undefined', at: '$q', line: 1, col: 21 }] }],
  ['variable redefined', { given: 'v = "a"\nv = "b"\nRules = [ CustomSql $v ]', want: [{ code: 'dqdl.variable-redefined', at: 'v', nth: 1, line: 2, col: 1 }] }],
  ['array variable as a parameter', { given: 'v = ["a"]\nRules = [ CustomSql $v ]', want: [{ code: 'dqdl.variable-type', at: '$v', line: 2, col: 21 }] }],
  ['array variable with =', { given: 'v = ["a"]\nRules = [ ColumnValues "c" = $v ]', want: [{ code: 'dqdl.variable-type', at: '$v', line: 2, col: 30 }] }],
  ['variable name with _', { given: '_v = "a"\nRules = [ CustomSql $_v ]', want: [{ code: 'dqdl.variable-name', at: '_v', line: 1, col: 1 }] }],
  ['nested variable', { given: 'a = "x"\nb = "y $a"\nRules = [ CustomSql $b ]', want: [{ code: 'dqdl.variable-nested', at: '"y $a"', line: 2, col: 5 }] }],
  ['numeric variable', { given: 'n = 5\nRules = [ RowCount > 1 ]', want: [{ code: 'dqdl.syntax', at: '5', line: 1, col: 5 }] }],
  // conditions
  ['strings are not ordered', { given: 'Rules = [ ColumnValues "c" > "abc" ]', want: [{ code: 'dqdl.condition-operator', at: '> "abc"', line: 1, col: 28 }] }],
  ['mixed set', { given: 'Rules = [ ColumnValues "c" in [1, "2"] ]', want: [{ code: 'dqdl.mixed-operands', at: 'in [', line: 1, col: 28 }] }],
  ['bad 12-hour time', { given: 'Rules = [ FileFreshness "p" > "13:50 PM" ]', want: [{ code: 'dqdl.invalid-time', at: '"13:50 PM"', line: 1, col: 31 }] }],
  ['bad 24-hour time', { given: 'Rules = [ FileFreshness "p" > "24:00" ]', want: [{ code: 'dqdl.invalid-time', at: '"24:00"', line: 1, col: 31 }] }],
  ['bad time zone', { given: 'Rules = [ FileFreshness "p" > "9:30 AM" with timeZone = "America/New_Chicago" ]', want: [{ code: 'dqdl.invalid-time-zone', at: '"America', line: 1, col: 57 }] }],
  // catalogue
  ['"and" before a rule type reads as a parameter, as upstream', { given: 'Rules = [ IsComplete "a" and IsUnique "b" ]', want: [{ code: 'dqdl.rule-arity', at: 'IsComplete', line: 1, col: 11 }] }],
  ['wrong arity', { given: 'Rules = [ IsComplete "a" "b" ]', want: [{ code: 'dqdl.rule-arity', at: 'IsComplete', line: 1, col: 11 }] }],
  ['boolean rule with a condition', { given: 'Rules = [ IsUnique "a" <= 1.5 ]', want: [{ code: 'dqdl.condition-unexpected', at: '<=', line: 1, col: 24 }] }],
  ['number rule without one', { given: 'Rules = [ Completeness "a" ]', want: [{ code: 'dqdl.condition-missing', at: 'Completeness', line: 1, col: 11 }] }],
  ['wrong condition kind', { given: 'Rules = [ DataFreshness "a" > 3 ]', want: [{ code: 'dqdl.condition-type', at: '> 3', line: 1, col: 29 }] }],
  ['analyzer-only type in rules', { given: 'Rules = [ AllStatistics "id" ]', want: [{ code: 'dqdl.analyzer-only', at: 'AllStatistics', line: 1, col: 11 }] }],
  ['boolean analyzer', { given: 'Analyzers = [ IsComplete "a" ]', want: [{ code: 'dqdl.analyzer-unsupported', at: 'IsComplete', line: 1, col: 15 }] }],
  ['analyzer with a condition', { given: 'Analyzers = [ Completeness "a" > 1 ]', want: [{ code: 'dqdl.condition-unexpected', at: '>', line: 1, col: 32 }] }],
  ['where not supported', { given: 'Rules = [ SchemaMatch "r" = 1.0 where "x > 1" ]', want: [{ code: 'dqdl.where-unsupported', at: '"x > 1"', line: 1, col: 39 }] }],
  ['empty where', { given: 'Rules = [ IsComplete "a" where "" ]', want: [{ code: 'dqdl.where-empty', at: '""', line: 1, col: 32 }] }],
  ['threshold not supported', { given: 'Rules = [ Completeness "a" > 0.4 with threshold > 0.4 ]', want: [{ code: 'dqdl.threshold-unsupported', at: 'with', line: 1, col: 34 }] }],
  ['threshold twice', { given: 'Rules = [ ColumnValues "a" > 1 with threshold > 0.1 with threshold > 0.2 ]', want: [{ code: 'dqdl.threshold-duplicate', at: 'with', nth: 1, line: 1, col: 53 }] }],
  ['threshold not numeric', { given: 'Rules = [ ColumnValues "a" > 1 with threshold = "x" ]', want: [{ code: 'dqdl.threshold-type', at: '= "x"', line: 1, col: 47 }] }],
  ['tag with another operator', { given: 'Rules = [ FileSize > 1 KB with tag != "x" ]', want: [{ code: 'dqdl.tag-operator', at: '!=', line: 1, col: 36 }] }],
  // labels
  ['duplicate label key', { given: 'Rules = [ IsComplete "a" labels=["k"="1", "k"="2"] ]', want: [{ code: 'dqdl.label-duplicate-key', at: '"k"', nth: 1, line: 1, col: 43 }] }],
  ['empty label key', { given: 'Rules = [ IsComplete "a" labels=[""="1"] ]', want: [{ code: 'dqdl.label-key', at: '""', line: 1, col: 34 }] }],
  ['label key too long', { given: `Rules = [ IsComplete "a" labels=["${'k'.repeat(129)}"="1"] ]`, want: [{ code: 'dqdl.label-key', at: '"kk', line: 1, col: 34 }] }],
  ['label value too long', { given: `Rules = [ IsComplete "a" labels=["k"="${'v'.repeat(257)}"] ]`, want: [{ code: 'dqdl.label-value', at: '"vv', line: 1, col: 38 }] }],
  [
    'eleven labels with the defaults',
    {
      given: `DefaultLabels = [${Array.from({ length: 10 }, (_, i) => `"d${i}"="v"`).join(', ')}]\nRules = [ IsComplete "a" labels=["own"="v"] ]`,
      want: [{ code: 'dqdl.label-limit', at: '"own"', line: 2, col: 34 }],
    },
  ],
  ['labels twice', { given: 'Rules = [ (IsComplete "a" labels=["a"="1"]) labels=["b"="2"] ]', want: [{ code: 'dqdl.labels-twice', at: '"b"', line: 1, col: 53 }] }],
];

describe('each error has a code and a position', () => {
  it.each(table)('%s', (_name, { given, want }) => {
    expect(actual(given)).toEqual(want.map((w) => located(given, w)));
  });
});

describe('every error in a document is reported', () => {
  it('one per broken rule, across sections, in source order', () => {
    const text = [
      'x = ["a"]',
      'Rules = [',
      '    IsComplete "a" > 1,', // 3: condition on a boolean rule
      '    Foo "b",', // 4: unknown type
      '    ColumnValues "x" in [1, "2"],', // 5: mixed set
      '    RowCount > ,', // 6: syntax
      '    Completeness "c",', // 7: no condition
      '    CustomSql $x', // 8: array variable as a parameter
      ']',
      'Analyzers = [ IsUnique "a", Mean ]', // 10: boolean analyzer, arity
    ].join('\n');
    expect(actual(text).map(({ code, line, col }) => [code, line, col])).toEqual([
      ['dqdl.condition-unexpected', 3, 20],
      ['dqdl.unknown-rule-type', 4, 5],
      ['dqdl.mixed-operands', 5, 22],
      ['dqdl.syntax', 6, 16],
      ['dqdl.condition-missing', 7, 5],
      ['dqdl.variable-type', 8, 15],
      ['dqdl.analyzer-unsupported', 10, 15],
      ['dqdl.rule-arity', 10, 29],
    ]);
  });

  it('keeps going after a broken section', () => {
    const text = 'Metadata = { "Version" "1.0" }\nDataSources = { "Primary": 1 }\nRules = [ Foo ]';
    expect(actual(text).map(({ code, line, col }) => [code, line, col])).toEqual([
      ['dqdl.syntax', 1, 24],
      ['dqdl.syntax', 2, 28],
      ['dqdl.unknown-rule-type', 3, 11],
    ]);
  });
});
