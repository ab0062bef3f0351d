/**
 * The upstream parser's own test cases (`conformance.json`, awslabs/dqdl @ d360214a), with the
 * Glue documentation's examples and deequ's rules: vendored in ../test/fixtures (see its README).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DQDL_FIXTURES } from './testing.js';
import { parseRuleset, printRule } from './index.js';

interface Conformance {
  valid_rules_roundtrip: { items: string[] };
  invalid_rulesets: { items: string[] };
  invalid_rulesets_with_analyzers: { items: string[] };
  ruleset_documents: { items: { test: string; expect: 'valid' | 'invalid'; disabled: boolean; dqdl: string }[] };
  valid_analyzers: { items: string[] };
}

const data = JSON.parse(readFileSync(path.join(DQDL_FIXTURES, 'conformance.json'), 'utf8')) as Conformance;

const accepted = (text: string): boolean => parseRuleset(text).ruleset !== undefined;

/**
 * Cases where we deliberately disagree with the `expect` of `ruleset_documents`, keyed
 * by index. Each stays in the table, with the reason; `expect` here is what we assert.
 */
const DISAGREE: Readonly<Record<number, { want: 'valid' | 'invalid'; why: string }>> = {
  23: { want: 'invalid', why: '@Disabled upstream: JobStatus is not in rules-config.json, so the parser rejects it' },
  24: { want: 'invalid', why: '@Disabled upstream: JobStatus is not in rules-config.json, so the parser rejects it' },
  25: { want: 'invalid', why: '@Disabled upstream: JobStatus is not in rules-config.json, so the parser rejects it' },
  26: { want: 'invalid', why: '@Disabled upstream: JobDuration is not in rules-config.json, so the parser rejects it' },
  28: { want: 'invalid', why: '@Disabled upstream: FileCount is not in rules-config.json, so the parser rejects it' },
};

describe('conformance: valid_rules_roundtrip', () => {
  const table = data.valid_rules_roundtrip.items.map((rule, i) => [`#${i} ${rule}`, { given: rule, want: rule }] as const);
  it.each(table)('%s', (_name, { given, want }) => {
    const result = parseRuleset(`Rules = [ ${given} ]`);
    expect(result.diagnostics).toEqual([]);
    const rules = result.ruleset?.rules ?? [];
    expect(rules).toHaveLength(1);
    expect(printRule(rules[0] as (typeof rules)[number])).toBe(want);
  });
});

describe('conformance: invalid_rulesets', () => {
  const table = data.invalid_rulesets.items.map((doc, i) => [`#${i} ${JSON.stringify(doc)}`, { given: doc, want: false }] as const);
  it.each(table)('%s', (_name, { given, want }) => {
    const result = parseRuleset(given);
    expect(accepted(given)).toBe(want);
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });
});

describe('conformance: invalid_rulesets_with_analyzers', () => {
  const table = data.invalid_rulesets_with_analyzers.items.map((doc, i) => [`#${i} ${JSON.stringify(doc)}`, { given: doc, want: false }] as const);
  it.each(table)('%s', (_name, { given, want }) => {
    expect(accepted(given)).toBe(want);
  });
});

describe('conformance: ruleset_documents', () => {
  const table = data.ruleset_documents.items.map((doc, i) => {
    const override = DISAGREE[i];
    const want = override?.want ?? doc.expect;
    const note = override === undefined ? '' : ` [disagree: ${override.why}]`;
    return [`#${i} ${doc.test} → ${want}${note}`, { given: doc.dqdl, want: want === 'valid' }] as const;
  });
  it.each(table)('%s', (_name, { given, want }) => {
    const result = parseRuleset(given);
    if (want) expect(result.diagnostics).toEqual([]);
    expect(accepted(given)).toBe(want);
  });
});

describe('conformance: valid_analyzers', () => {
  const table = data.valid_analyzers.items.map((a, i) => [`#${i} ${a}`, { given: a, want: a }] as const);
  it.each(table)('%s', (_name, { given, want }) => {
    const result = parseRuleset(`Analyzers = [ ${given} ]`);
    expect(result.diagnostics).toEqual([]);
    expect(result.ruleset?.analyzers).toHaveLength(1);
    void want;
  });
});

/**
 * The example rules quoted in glue-notes.md (from the Glue documentation). A line
 * `name = "..."` declares a variable for the next line; `Rules = ...` / `Analyzers = ...`
 * lines are whole documents; any other line is one rule.
 */
describe('glue documentation examples', () => {
  const notes = readFileSync(path.join(DQDL_FIXTURES, 'glue-notes.md'), 'utf8');
  const block = notes.split('```')[1] ?? '';
  const docs: string[] = [];
  let pending = '';
  for (const line of block.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    if (/^\w+ = "/.test(line)) pending += `${line}\n`;
    else {
      docs.push(/^(Rules|Analyzers) = /.test(line) ? pending + line : `${pending}Rules = [ ${line} ]`);
      pending = '';
    }
  }

  it('has the examples', () => {
    expect(docs.length).toBeGreaterThan(50);
  });

  it.each(docs.map((d) => [d, { given: d, want: [] }] as const))('%s', (_name, { given, want }) => {
    expect(parseRuleset(given).diagnostics).toEqual(want);
  });

  // The notes flag these documentation snippets as not accepted by the open-source grammar.
  const rejected: [string, { given: string; want: string }][] = [
    ['lower-case rule type', { given: 'Rules = [ isComplete "colA" ]', want: 'dqdl.unknown-rule-type' }],
    ['// comments', { given: '// labels\nRules = [ IsComplete "colA" ]', want: 'dqdl.syntax' }],
    ['RowCount with a parameter', { given: 'Rules = [ (RowCount "id" > 100) ]', want: 'dqdl.rule-arity' }],
  ];
  it.each(rejected)('rejects the docs-only form: %s', (_name, { given, want }) => {
    expect(parseRuleset(given).diagnostics.map((d) => d.code)).toEqual([want]);
  });
});

/** The rules of deequ's DQDL spec (deequ-outcomes.json) are for the evaluator; they must all parse. */
describe('deequ outcome rules parse', () => {
  const deequ = JSON.parse(readFileSync(path.join(DQDL_FIXTURES, 'deequ-outcomes.json'), 'utf8')) as {
    tests: { test: string; cases: { rule: string }[] }[];
  };
  const table = deequ.tests.flatMap((t) => t.cases.map((c) => [`${t.test}: ${c.rule}`, { given: c.rule, want: [] }] as const));
  it.each(table)('%s', (_name, { given, want }) => {
    expect(parseRuleset(`Rules = [ ${given} ]`).diagnostics).toEqual(want);
  });
});
