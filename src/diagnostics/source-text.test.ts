import { describe, expect, it } from 'vitest';
import { SourceText } from './source-text.js';

describe('SourceText', () => {
  const source = new SourceText('ab\ncd\r\n\nef');

  it.each<[string, { given: number; want: { line: number; col: number } }]>([
    ['start', { given: 0, want: { line: 1, col: 1 } }],
    ['end of the first line', { given: 2, want: { line: 1, col: 3 } }],
    ['after a newline', { given: 3, want: { line: 2, col: 1 } }],
    ['CR is a column', { given: 5, want: { line: 2, col: 3 } }],
    ['empty line', { given: 7, want: { line: 3, col: 1 } }],
    ['last character', { given: 9, want: { line: 4, col: 2 } }],
    ['past the end is clamped', { given: 99, want: { line: 4, col: 3 } }],
    ['before the start is clamped', { given: -5, want: { line: 1, col: 1 } }],
  ])('locates %s', (_name, { given, want }) => {
    expect(source.locate(given)).toEqual(want);
  });

  it.each<[number, { start: number; text: string }]>([
    [1, { start: 0, text: 'ab' }],
    [2, { start: 3, text: 'cd' }],
    [3, { start: 7, text: '' }],
    [4, { start: 8, text: 'ef' }],
    [5, { start: 10, text: '' }],
  ])('line %i: where it starts and its text without the line break', (line, want) => {
    expect({ start: source.lineStart(line), text: source.lineText(line) }).toEqual(want);
  });

  it('counts a final line break as the start of an empty line', () => {
    expect([source.lineCount, new SourceText('a\n').lineCount, new SourceText('').lineCount]).toEqual([4, 2, 1]);
  });
});
