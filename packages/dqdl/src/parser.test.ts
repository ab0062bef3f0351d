import { describe, expect, it } from 'vitest';
import { parseRuleset, type Rule, type Ruleset } from './index.js';

/** The model without positions, for comparing shapes. */
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'pos' && k !== 'typePos').map(([k, v]) => [k, strip(v)]));
}

function ok(text: string): Ruleset {
  const result = parseRuleset(text);
  expect(result.diagnostics).toEqual([]);
  return result.ruleset as Ruleset;
}

const rule = (text: string): Rule => ok(`Rules = [ ${text} ]`).rules[0] as Rule;
const str = (raw: string, value = raw) => ({ raw, value });
const num = (text: string) => ({ kind: 'number', text, value: Number(text) });

describe('simple rules', () => {
  const table: [string, { given: string; want: unknown }][] = [
    [
      'parameters: quoted, bare, with connectors',
      {
        given: 'ColumnCorrelation of col_1 and "col b" between 0.4 and 0.8',
        want: {
          kind: 'rule',
          ruleType: 'ColumnCorrelation',
          params: [
            { kind: 'bare', connector: 'of', text: 'col_1', value: 'col_1' },
            { kind: 'quoted', connector: 'and', text: 'col b', value: 'col b' },
          ],
          condition: { kind: 'number', op: 'between', operands: [num('0.4'), num('0.8')] },
          tags: [],
          labels: [],
        },
      },
    ],
    [
      'escapes resolved in the value, kept in the text',
      {
        given: 'IsComplete "a\\"b"',
        want: { kind: 'rule', ruleType: 'IsComplete', params: [{ kind: 'quoted', text: 'a\\"b', value: 'a"b' }], tags: [], labels: [] },
      },
    ],
    [
      'where, threshold and tags',
      {
        given: 'ColumnValues "c" in ["A", "B"] where "d > 1" with threshold > 0.9 with note = "x" with bins = 20',
        want: {
          kind: 'rule',
          ruleType: 'ColumnValues',
          params: [{ kind: 'quoted', text: 'c', value: 'c' }],
          condition: {
            kind: 'string',
            op: 'in',
            operands: [{ kind: 'string', lit: str('A') }, { kind: 'string', lit: str('B') }],
          },
          where: str('d > 1'),
          threshold: { condition: { kind: 'number', op: '>', operands: [num('0.9')] } },
          tags: [
            { name: 'note', value: { kind: 'string', lit: str('x') } },
            { name: 'bins', value: { kind: 'number', expr: num('20') } },
          ],
          labels: [],
        },
      },
    ],
    [
      'labels on a rule',
      {
        given: 'IsComplete "a" labels = ["k" = "v", "k2"="v2"]',
        want: {
          kind: 'rule',
          ruleType: 'IsComplete',
          params: [{ kind: 'quoted', text: 'a', value: 'a' }],
          tags: [],
          labels: [
            { key: str('k'), value: str('v') },
            { key: str('k2'), value: str('v2') },
          ],
        },
      },
    ],
  ];
  it.each(table)('%s', (_name, { given, want }) => {
    expect(strip(rule(given))).toEqual(want);
  });
});

describe('conditions', () => {
  const cond = (text: string) => strip((rule(text) as { condition?: unknown }).condition);
  const table: [string, { given: string; want: unknown }][] = [
    ['not equal', { given: 'RowCount != 5', want: { kind: 'number', op: '!=', operands: [num('5')] } }],
    ['"! =" is "!="', { given: 'RowCount ! = 5', want: { kind: 'number', op: '!=', operands: [num('5')] } }],
    ['negative numbers', { given: 'Sum "a" between -1.5 and -1', want: { kind: 'number', op: 'between', operands: [num('-1.5'), num('-1')] } }],
    ['not between', { given: 'RowCount not between 1 and 2', want: { kind: 'number', op: 'not between', operands: [num('1'), num('2')] } }],
    ['number set', { given: 'ColumnValues "a" not in [1, 2, NULL]', want: { kind: 'number', op: 'not in', operands: [num('1'), num('2'), { kind: 'null' }] } }],
    ['= NULL is numeric, as upstream', { given: 'ColumnValues "a" = null', want: { kind: 'number', op: '=', operands: [{ kind: 'null' }] } }],
    [
      'keywords in either case',
      {
        given: 'ColumnValues "a" in ["x", empty, whitespaces_only, NULL]',
        want: {
          kind: 'string',
          op: 'in',
          operands: [
            { kind: 'string', lit: str('x') },
            { kind: 'keyword', keyword: 'EMPTY' },
            { kind: 'keyword', keyword: 'WHITESPACES_ONLY' },
            { kind: 'keyword', keyword: 'NULL' },
          ],
        },
      },
    ],
    ['matches', { given: 'ColumnValues "a" not matches "[a-z]+"', want: { kind: 'string', op: 'not matches', operands: [{ kind: 'string', lit: str('[a-z]+') }] } }],
    ['a date string makes a date condition', { given: 'ColumnValues "a" = "2024-01-31"', want: { kind: 'date', op: '=', operands: [{ kind: 'date', text: '2024-01-31' }] } }],
    [
      'dates with now() arithmetic',
      {
        given: 'ColumnValues "a" between (now() - 3 days) and now()',
        want: {
          kind: 'date',
          op: 'between',
          operands: [{ kind: 'now-offset', op: '-', duration: { amount: 3, unit: 'days' } }, { kind: 'now' }],
        },
      },
    ],
    [
      'times of day, 12- and 24-hour',
      {
        given: 'FileFreshness "p" between "12:05 AM" and "21:45"',
        want: {
          kind: 'date',
          op: 'between',
          operands: [
            { kind: 'time', text: '12:05 AM', hour: 0, minute: 5 },
            { kind: 'time', text: '21:45', hour: 21, minute: 45 },
          ],
        },
      },
    ],
    ['9:30 PM is 21:30', { given: 'FileFreshness "p" > "9:30 PM"', want: { kind: 'date', op: '>', operands: [{ kind: 'time', text: '9:30 PM', hour: 21, minute: 30 }] } }],
    ['durations', { given: 'DataFreshness "a" in [90 minutes, 2 hours]', want: { kind: 'duration', op: 'in', operands: [{ amount: 90, unit: 'minutes' }, { amount: 2, unit: 'hours' }] } }],
    [
      'sizes step by 1024',
      {
        given: 'FileSize between 2 KB and 1 TB',
        want: { kind: 'size', op: 'between', operands: [{ amount: 2, unit: 'KB', bytes: 2048 }, { amount: 1, unit: 'TB', bytes: 1024 ** 4 }] },
      },
    ],
    ['a bare integer is bytes for size rules', { given: 'FileSize > 1024', want: { kind: 'size', op: '>', operands: [{ amount: 1024, bytes: 1024 }] } }],
  ];
  it.each(table)('%s', (_name, { given, want }) => {
    expect(cond(given)).toEqual(want);
  });
});

describe('dynamic expressions', () => {
  const operand = (text: string) => strip((rule(`RowCount > ${text}`) as { condition: { operands: readonly unknown[] } }).condition.operands[0]);
  const table: [string, { given: string; want: unknown }][] = [
    ['avg(last(10))', { given: 'avg(last(10))', want: { kind: 'call', name: 'avg', args: [{ kind: 'call', name: 'last', args: [num('10')] }] } }],
    [
      'index(last(k), i)',
      { given: 'index(last(5), 0)', want: { kind: 'call', name: 'index', args: [{ kind: 'call', name: 'last', args: [num('5')] }, num('0')] } },
    ],
    [
      'one precedence level, left to right, as upstream',
      {
        given: '1 + 2 * 3',
        want: { kind: 'binary', op: '*', left: { kind: 'binary', op: '+', left: num('1'), right: num('2'), parenthesized: false }, right: num('3'), parenthesized: false },
      },
    ],
    [
      'parentheses group',
      {
        given: '1 + (2 * 3)',
        want: { kind: 'binary', op: '+', left: num('1'), right: { kind: 'binary', op: '*', left: num('2'), right: num('3'), parenthesized: true }, parenthesized: false },
      },
    ],
    [
      'minus without spaces',
      { given: 'min(last(10))-1', want: { kind: 'binary', op: '-', left: { kind: 'call', name: 'min', args: [{ kind: 'call', name: 'last', args: [num('10')] }] }, right: num('1'), parenthesized: false } },
    ],
  ];
  it.each(table)('%s', (_name, { given, want }) => {
    expect(operand(given)).toEqual(want);
  });
});

describe('composite rules', () => {
  const shape = (r: Rule): unknown => (r.kind === 'rule' ? r.ruleType : { [r.op]: r.rules.map(shape), ...(r.labels.length > 0 ? { labels: r.labels.length } : {}) });
  const table: [string, { given: string; want: unknown }][] = [
    ['and', { given: '(RowCount > 0) and (IsComplete "a")', want: { and: ['RowCount', 'IsComplete'] } }],
    ['chains flatten', { given: '(RowCount > 0) OR (IsComplete "a") OR (IsUnique "a")', want: { or: ['RowCount', 'IsComplete', 'IsUnique'] } }],
    ['parenthesised chains of one operator flatten', { given: '((RowCount > 0) or (IsComplete "a")) or (IsUnique "a")', want: { or: ['RowCount', 'IsComplete', 'IsUnique'] } }],
    ['nesting', { given: '(RowCount > 0) OR ((IsComplete "a") AND (IsUnique "a"))', want: { or: ['RowCount', { and: ['IsComplete', 'IsUnique'] }] } }],
    ['and binds tighter than or', { given: '(RowCount > 0) OR (IsComplete "a") AND (IsUnique "a")', want: { or: ['RowCount', { and: ['IsComplete', 'IsUnique'] }] } }],
    ['operands without parentheses', { given: 'ColumnValues "x" != NULL AND ColumnLength "x" > 0', want: { and: ['ColumnValues', 'ColumnLength'] } }],
    ['a labelled group stays a group', { given: '((RowCount > 0) OR (Mean "a" > 1)) labels=["k"="v"] OR (IsUnique "a")', want: { or: [{ or: ['RowCount', 'Mean'], labels: 1 }, 'IsUnique'] } }],
    ['one rule in parentheses is that rule', { given: '(Completeness "c" between 0.5 and 0.8)', want: 'Completeness' }],
  ];
  it.each(table)('%s', (_name, { given, want }) => {
    expect(shape(rule(given))).toEqual(want);
  });

  it('labels after a group go on the composite; inside it, on the nested rules', () => {
    const r = rule('(ColumnValues "x" != NULL labels=["n1"="v1"] AND ColumnLength "x" > 0 labels=["n2"="v2"]) labels=["outer"="v3"]');
    expect(r.kind === 'composite' && r.labels.map((l) => l.key.value)).toEqual(['outer']);
    expect(r.kind === 'composite' && r.rules.map((m) => m.labels.map((l) => l.key.value))).toEqual([['n1'], ['n2']]);
  });

  it('without parentheses, trailing labels belong to the last rule (upstream test_NonParenthesesWithLabelsFails)', () => {
    const r = rule('ColumnValues "t" != NULL AND ColumnLength "t" > 0 labels = ["rule_id" = "123"]');
    expect(r.kind === 'composite' && r.labels).toEqual([]);
    expect(r.kind === 'composite' && r.rules[1]?.labels.map((l) => l.value.value)).toEqual(['123']);
  });
});

describe('documents', () => {
  it('reads every section', () => {
    const rs = ok(
      [
        '# a comment',
        'Metadata = { "Version": "1.0" }',
        'DataSources = { "Primary": "orders", "AdditionalDataSources": ["ref1", "ref2"] }',
        'sql = "select count(*) from primary"',
        'codes = ["A", "B"]',
        'DefaultLabels = ["team"="dq"]',
        'Rules = [ CustomSql $sql > 0, ColumnValues "c" in $codes ] # trailing',
        'Analyzers = [ RowCount, AllStatistics of AllColumns ]',
      ].join('\n'),
    );
    expect(strip({ ...rs, rules: rs.rules.length })).toEqual({
      metadata: { version: '1.0' },
      dataSources: { primary: 'orders', additional: ['ref1', 'ref2'] },
      variables: [
        { name: 'sql', value: { kind: 'string', lit: str('select count(*) from primary') } },
        { name: 'codes', value: { kind: 'array', items: [str('A'), str('B')] } },
      ],
      defaultLabels: [{ key: str('team'), value: str('dq') }],
      rules: 2,
      analyzers: [
        { kind: 'analyzer', analyzerType: 'RowCount', params: [] },
        { kind: 'analyzer', analyzerType: 'AllStatistics', params: [{ kind: 'bare', connector: 'of', text: 'AllColumns', value: 'AllColumns' }] },
      ],
    });
  });

  it('resolves variables, in parameters and in sets', () => {
    const rs = ok('sql = "select 1"\ncodes = ["A", "B"]\nRules = [ CustomSql $sql, ColumnValues "c" in $codes, ColumnValues "d" in ["Z", $codes] ]');
    expect(strip(rs.rules.map((r) => (r.kind === 'rule' ? [r.params.map((p) => p.value), r.condition?.operands] : r)))).toEqual([
      [['select 1'], undefined],
      [['c'], [{ kind: 'variable', name: 'codes', values: ['A', 'B'] }]],
      [['d'], [{ kind: 'string', lit: str('Z') }, { kind: 'variable', name: 'codes', values: ['A', 'B'] }]],
    ]);
  });

  it('takes $ literally inside quoted strings', () => {
    const r = ok('id = "ZZZ"\nRules = [ CustomSql "select $id from primary" ]').rules[0];
    expect(r?.kind === 'rule' && r.params[0]?.value).toBe('select $id from primary');
  });

  it('keeps positions in the source', () => {
    const text = 'Rules = [\n  IsComplete "a" where "b > 1"\n]';
    const r = ok(text).rules[0];
    expect(r?.kind === 'rule' && [r.pos, r.typePos, r.params[0]?.pos, r.where?.pos]).toEqual([[12, 40], [12, 22], [23, 26], [33, 40]]);
  });

  it('gives a composite the span of its text, parentheses and labels included', () => {
    const text = 'Rules = [ ((RowCount > 0) OR (IsComplete "a")) labels=["k"="v"] AND (IsUnique "b") ]';
    const r = ok(text).rules[0];
    const spans = r?.kind === 'composite' ? [r.pos, r.rules[0]?.pos, r.rules[1]?.pos] : [];
    expect(spans.map((p) => p && text.slice(p[0], p[1]))).toEqual([
      '((RowCount > 0) OR (IsComplete "a")) labels=["k"="v"] AND (IsUnique "b")',
      '((RowCount > 0) OR (IsComplete "a")) labels=["k"="v"]',
      'IsUnique "b"',
    ]);
  });
});
