/**
 * Driven by the catalogue: every rule type, at every arity, is written out and parsed,
 * with and without a where clause and a threshold, and as an analyzer.
 */
import { describe, expect, it } from 'vitest';
import { conditionKindFor, findRuleType, parseRuleset, RULE_TYPES, type RuleTypeSpec } from './index.js';

const SAMPLE_CONDITION = { number: '> 0', string: '= "x"', date: '> (now() - 1 days)', duration: '< 3 days', size: '< 5 MB' } as const;

function ruleText(spec: RuleTypeSpec): string {
  const params = spec.parameters.map((_, i) => `"p${i}"`);
  const kind = conditionKindFor(spec.returnTypes[0] as RuleTypeSpec['returnTypes'][number]);
  return [spec.name, ...params, ...(kind === undefined ? [] : [SAMPLE_CONDITION[kind]])].join(' ');
}

const codes = (text: string) => parseRuleset(text).diagnostics.map((d) => d.code);
const name = (spec: RuleTypeSpec) => `${spec.name}/${spec.parameters.length}`;

describe('findRuleType', () => {
  const table: [string, { given: [string, number]; want: string | undefined }][] = [
    ['exact arity', { given: ['IsComplete', 1], want: 'IsComplete/1' }],
    ['wrong arity', { given: ['IsComplete', 2], want: undefined }],
    ['var-arg takes more', { given: ['IsUnique', 3], want: 'IsUnique/1' }],
    ['var-arg needs one', { given: ['IsUnique', 0], want: undefined }],
    ['several variants', { given: ['DatasetMatch', 3], want: 'DatasetMatch/3' }],
    ['no parameters', { given: ['FileSize', 0], want: 'FileSize/0' }],
    ['case-sensitive', { given: ['iscomplete', 1], want: undefined }],
  ];
  it.each(table)('%s', (_n, { given, want }) => {
    const spec = findRuleType(...given);
    expect(spec === undefined ? undefined : name(spec)).toBe(want);
  });
});

describe('every rule type in the catalogue', () => {
  const rules = RULE_TYPES.filter((s) => !s.analyzerOnly).map((s) => [name(s), s] as const);

  it.each(rules)('%s parses as a rule', (_n, spec) => {
    expect(codes(`Rules = [ ${ruleText(spec)} ]`)).toEqual([]);
  });

  it.each(rules)('%s takes a where clause only if the catalogue says so', (_n, spec) => {
    const want = spec.whereSupported ? [] : ['dqdl.where-unsupported'];
    expect(codes(`Rules = [ ${ruleText(spec)} where "a > 1" ]`)).toEqual(want);
  });

  it.each(rules)('%s takes a threshold only if the catalogue says so', (_n, spec) => {
    const want = spec.thresholdSupported ? [] : ['dqdl.threshold-unsupported'];
    expect(codes(`Rules = [ ${ruleText(spec)} with threshold > 0.5 ]`)).toEqual(want);
  });

  const analyzers = RULE_TYPES.map((s) => [name(s), s] as const);
  it.each(analyzers)('%s as an analyzer: rejected only when boolean', (_n, spec) => {
    const params = spec.parameters.map((_, i) => `"p${i}"`).join(' ');
    const boolean = spec.returnTypes.length === 1 && spec.returnTypes[0] === 'BOOLEAN';
    expect(codes(`Analyzers = [ ${spec.name} ${params} ]`)).toEqual(boolean ? ['dqdl.analyzer-unsupported'] : []);
  });
});

describe('an unknown rule type', () => {
  const messages = (text: string) => parseRuleset(text).diagnostics.filter((d) => d.code === 'dqdl.unknown-rule-type').map((d) => d.message);
  it.each([
    ['a letter missing', 'Rules = [ Completness "a" > 0.9 ]', 'Completeness'],
    ['two letters swapped', 'Rules = [ IsUinque "id" ]', 'IsUnique'],
    ['the wrong case', 'Rules = [ isComplete "id" ]', 'IsComplete'],
    ['an analyzer', 'Analyzers = [ RowCnt ]', 'RowCount'],
  ])('%s: did you mean', (_name, text, want) => {
    expect(messages(text)).toEqual([expect.stringContaining(`did you mean ${want}?`)]);
  });

  it('suggests nothing far from every type', () => {
    expect(messages('Rules = [ Frobnicate "a" ]')).toEqual(["unknown rule type 'Frobnicate'"]);
  });
});
