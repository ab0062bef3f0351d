import { describe, expect, it } from 'vitest';
import { lex, unescapeString } from './lexer.js';

const shape = (text: string) => lex(text).tokens.map((t) => [t.kind, t.text, t.start, t.end]);

describe('lex', () => {
  const table: [string, { given: string; want: (string | number)[][] }][] = [
    ['words, numbers and keywords', { given: 'RowCount > 10', want: [['word', 'RowCount', 0, 8], ['punct', '>', 9, 10], ['int', '10', 11, 13], ['eof', '', 13, 13]] }],
    ['decimals and a separate minus', { given: '-0.5', want: [['punct', '-', 0, 1], ['decimal', '0.5', 1, 4], ['eof', '', 4, 4]] }],
    ['a word may start with digits', { given: '11ColumnValues', want: [['word', '11ColumnValues', 0, 14], ['eof', '', 14, 14]] }],
    ['dotted identifiers are one word', { given: 'reference.col_1', want: [['word', 'reference.col_1', 0, 15], ['eof', '', 15, 15]] }],
    ['two-character operators', { given: '>=<=!=', want: [['punct', '>=', 0, 2], ['punct', '<=', 2, 4], ['punct', '!', 4, 5], ['punct', '=', 5, 6], ['eof', '', 6, 6]] }],
    ['now() is one token', { given: '(now() - 3 days)', want: [['punct', '(', 0, 1], ['now', 'now()', 1, 6], ['punct', '-', 7, 8], ['int', '3', 9, 10], ['word', 'days', 11, 15], ['punct', ')', 15, 16], ['eof', '', 16, 16]] }],
    ['variables need the name right after $', { given: '$codes $ x', want: [['variable', '$codes', 0, 6], ['punct', '$', 7, 8], ['word', 'x', 9, 10], ['eof', '', 10, 10]] }],
    ['strings keep escapes; # inside is text', { given: '"a\\"#b" x', want: [['string', '"a\\"#b"', 0, 7], ['word', 'x', 8, 9], ['eof', '', 9, 9]] }],
    ['comments run to the end of the line', { given: '# note\nRules # more', want: [['word', 'Rules', 7, 12], ['eof', '', 19, 19]] }],
    ['CR LF is whitespace', { given: 'a\r\nb', want: [['word', 'a', 0, 1], ['word', 'b', 3, 4], ['eof', '', 4, 4]] }],
    ['single-quoted text is one token', { given: "x = 'a b'", want: [['word', 'x', 0, 1], ['punct', '=', 2, 3], ['single-quoted', "'a b'", 4, 9], ['eof', '', 9, 9]] }],
  ];
  it.each(table)('%s', (_name, { given, want }) => {
    expect(shape(given)).toEqual(want);
    expect(lex(given).diagnostics).toEqual([]);
  });

  const errors: [string, { given: string; want: { code: string; pos: [number, number] }[] }][] = [
    ['an unterminated string runs to the end', { given: 'x "abc', want: [{ code: 'dqdl.unterminated-string', pos: [2, 6] }] }],
    ['a stray character', { given: 'a @ b', want: [{ code: 'dqdl.invalid-character', pos: [2, 3] }] }],
    ['every stray character', { given: '%a;', want: [{ code: 'dqdl.invalid-character', pos: [0, 1] }, { code: 'dqdl.invalid-character', pos: [2, 3] }] }],
  ];
  it.each(errors)('%s', (_name, { given, want }) => {
    expect(lex(given).diagnostics.map(({ code, pos }) => ({ code, pos }))).toEqual(want);
  });
});

describe('string content', () => {
  const table: [string, { given: string; want: { raw: string; value: string } }][] = [
    ['plain', { given: '"abc"', want: { raw: 'abc', value: 'abc' } }],
    ['escaped quote', { given: '"a\\"b"', want: { raw: 'a\\"b', value: 'a"b' } }],
    ['escaped backslash', { given: '"\\\\"', want: { raw: '\\\\', value: '\\' } }],
    ['other backslashes stay', { given: '"\\d+"', want: { raw: '\\d+', value: '\\d+' } }],
    ['single quotes are text', { given: '"don\\\'t"', want: { raw: "don\\'t", value: "don\\'t" } }],
  ];
  it.each(table)('%s', (_name, { given, want }) => {
    const token = lex(given).tokens[0];
    expect({ raw: token?.raw, value: unescapeString(token?.raw ?? '') }).toEqual(want);
  });
});
