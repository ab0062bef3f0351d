/**
 * The parser bounds how deep a ruleset may nest (parentheses, calls, arithmetic terms):
 * past the limit it reports `dqdl.too-complex` at the place, instead of overflowing the
 * stack, and nothing it accepts is too deep to print or evaluate.
 */
import { describe, expect, it } from 'vitest';
import { MAX_NESTING, parseRuleset, printRuleset } from './index.js';

const nestedRules = (depth: number) => `Rules = [ ${'('.repeat(depth)}RowCount > 0${')'.repeat(depth)} ]`;
const nestedNumber = (depth: number) => `Rules = [ RowCount > ${'('.repeat(depth)}1 + 1${')'.repeat(depth)} ]`;
const nestedCalls = (depth: number) => `Rules = [ RowCount > ${'abs('.repeat(depth)}1${')'.repeat(depth)} ]`;
const sum = (terms: number) => `Rules = [ RowCount > ${Array.from({ length: terms }, () => '1').join(' + ')} ]`;

describe('nesting limits', () => {
  const deep: [string, string, number][] = [
    ['10,000 nested rule groups', nestedRules(10_000), 10 + MAX_NESTING],
    ['10,000 nested number parentheses', nestedNumber(10_000), 21 + MAX_NESTING],
    ['10,000 nested calls', nestedCalls(10_000), 21 + 4 * MAX_NESTING],
    ['a 50,000-term sum', sum(50_000), 21 + 4 * MAX_NESTING + 2],
  ];
  it.each(deep)('%s: one dqdl.too-complex at the first token past the limit', (_name, text, at) => {
    const { ruleset, diagnostics } = parseRuleset(text);
    expect(ruleset).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'dqdl.too-complex' });
    expect(diagnostics[0]!.pos[0]).toBe(at);
    expect(diagnostics[0]!.message).toContain(String(MAX_NESTING));
  });

  const within: [string, string][] = [
    ['rule groups', nestedRules(MAX_NESTING - 1)],
    ['number parentheses', nestedNumber(MAX_NESTING - 2)],
    ['calls', nestedCalls(MAX_NESTING - 1)],
    ['a sum', sum(MAX_NESTING)],
  ];
  it.each(within)('%s at the limit parse and print', (_name, text) => {
    const { ruleset, diagnostics } = parseRuleset(text);
    expect(diagnostics).toEqual([]);
    expect(printRuleset(ruleset!)).toContain('RowCount');
  });

  it('a deep rule does not hide the problems of the rules after it', () => {
    const { diagnostics } = parseRuleset(`Rules = [ ${'('.repeat(5_000)}RowCount > 0${')'.repeat(5_000)}, Foo "x" ]`);
    expect(diagnostics.map((d) => d.code)).toEqual(['dqdl.too-complex', 'dqdl.unknown-rule-type']);
  });
});
