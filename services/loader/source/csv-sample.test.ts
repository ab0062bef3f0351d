import { describe, expect, it } from 'vitest';
import { parseCsvSample } from './csv-sample.js';

describe('parseCsvSample', () => {
  it.each<[string, { text: string; complete: boolean; want: string[][] }]>([
    ['plain', { text: 'a,b\n1,2\n', complete: true, want: [['a', 'b'], ['1', '2']] }],
    ['quotes, doubled quotes, delimiters and newlines inside', { text: 'a,b\n"x,""y""","line1\nline2"\n', complete: true, want: [['a', 'b'], ['x,"y"', 'line1\nline2']] }],
    ['CRLF', { text: 'a,b\r\n1,2\r\n', complete: true, want: [['a', 'b'], ['1', '2']] }],
    ['a cut last record is dropped', { text: 'a,b\n1,2\n3,"par', complete: false, want: [['a', 'b'], ['1', '2']] }],
    ['a last record without newline is kept when complete', { text: 'a,b\n1,2', complete: true, want: [['a', 'b'], ['1', '2']] }],
    ['empty fields', { text: 'a,b,c\n,,\n', complete: true, want: [['a', 'b', 'c'], ['', '', '']] }],
  ])('%s', (_name, { text, complete, want }) => {
    expect(parseCsvSample(text, ',', complete).records).toEqual(want);
  });

  it('tells a quoted empty string from an empty field (NULL)', () => {
    expect(parseCsvSample('a,b\n"",\n', ',', true).quoted[1]).toEqual([true, false]);
  });

  it('other delimiters', () => {
    expect(parseCsvSample('a|b\n1|2\n', '|', true).records).toEqual([['a', 'b'], ['1', '2']]);
  });
});
