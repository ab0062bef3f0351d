import { describe, expect, it } from 'vitest';
import type { Diagnostic } from './diagnostic.js';
import { MAX_EXCERPT } from './excerpt.js';
import { formatDiagnostic } from './format.js';
import { SourceText } from './source-text.js';

const format = (text: string, pos: readonly [number, number], extra: Partial<Diagnostic> = {}): string =>
  formatDiagnostic({ code: 'dqdl.unknown-rule-type', message: 'boom', pos, file: 'r.dqdl', ...extra }, new SourceText(text));

describe('formatDiagnostic on a line that fits', () => {
  it.each<[string, { text: string; pos: [number, number]; want: string[] }]>([
    ['caret under the range', { text: 'Rules = [\n    Foo "x"\n]', pos: [14, 21], want: ['r.dqdl:2:5: dqdl.unknown-rule-type: boom', '  |', '2 |     Foo "x"', '  |     ^^^^^^^'] }],
    ['an empty range still gets one caret', { text: 'Rules = [', pos: [9, 9], want: ['r.dqdl:1:10: dqdl.unknown-rule-type: boom', '  |', '1 | Rules = [', '  |          ^'] }],
    ['a range over several lines stops at the end of the first', { text: 'ab\ncd', pos: [1, 5], want: ['r.dqdl:1:2: dqdl.unknown-rule-type: boom', '  |', '1 | ab', '  |  ^'] }],
    ['the gutter is as wide as the line number', { text: `${'\n'.repeat(9)}Foo`, pos: [9, 12], want: ['r.dqdl:10:1: dqdl.unknown-rule-type: boom', '   |', '10 | Foo', '   | ^^^'] }],
    ['a CRLF line, shown without its CR', { text: 'a\r\nFoo "x"\r\n', pos: [3, 6], want: ['r.dqdl:2:1: dqdl.unknown-rule-type: boom', '  |', '2 | Foo "x"', '  | ^^^'] }],
    ['a tab before the caret is kept, so the caret stays under its text', { text: '\tIsComplete "a" > 3', pos: [16, 19], want: ['r.dqdl:1:17: dqdl.unknown-rule-type: boom', '  |', '1 | \tIsComplete "a" > 3', '  | \t               ^^^'] }],
    [`a line of exactly ${MAX_EXCERPT} characters is whole`, { text: 'x'.repeat(MAX_EXCERPT), pos: [MAX_EXCERPT - 1, MAX_EXCERPT], want: [`r.dqdl:1:${MAX_EXCERPT}: dqdl.unknown-rule-type: boom`, '  |', `1 | ${'x'.repeat(MAX_EXCERPT)}`, `  | ${' '.repeat(MAX_EXCERPT - 1)}^`] }],
  ])('%s', (_name, { text, pos, want }) => {
    expect(format(text, pos)).toBe(want.join('\n'));
  });

  it('says warning before the code of a warning', () => {
    expect(format('a: 1', [0, 1], { severity: 'warning' }).split('\n')[0]).toBe('r.dqdl:1:1: warning: dqdl.unknown-rule-type: boom');
  });

  it('leaves out the file when the diagnostic has none', () => {
    expect(formatDiagnostic({ code: 'x.y', message: 'boom', pos: [0, 1] }, new SourceText('a')).split('\n')[0]).toBe('1:1: x.y: boom');
  });
});

/** A long line: `Rules = [ IsComplete "c0", …, IsComplete "c59" ]` (well over MAX_EXCERPT characters). */
const LONG = `Rules = [ ${Array.from({ length: 60 }, (_, i) => `IsComplete "c${i}"`).join(', ')} ]`;

/** The excerpt line and the caret line, without their gutters. */
function excerptOf(text: string, pos: readonly [number, number]): { line: string; caret: string } {
  const [, , line, caret] = format(text, pos).split('\n');
  return { line: line!.slice('1 | '.length), caret: caret!.slice('  | '.length) };
}

/** What the carets stand under. */
function underCaret({ line, caret }: { line: string; caret: string }): string {
  return line.slice(caret.indexOf('^'), caret.length);
}

describe('formatDiagnostic on a long line', () => {
  it('cuts both ends around a caret in the middle, the caret under the same text', () => {
    const at = LONG.indexOf('"c30"');
    const shown = excerptOf(LONG, [at, at + 5]);
    expect(shown.line).toHaveLength(MAX_EXCERPT);
    expect(shown.line.startsWith('…') && shown.line.endsWith('…')).toBe(true);
    expect(underCaret(shown)).toBe('"c30"');
    expect(shown.caret.trimStart()).toBe('^^^^^');
    expect(LONG).toContain(shown.line.slice(1, -1));
  });

  it('cuts only the end when the caret is near the start', () => {
    const shown = excerptOf(LONG, [10, 20]);
    expect(shown.line).toBe(`${LONG.slice(0, MAX_EXCERPT - 1)}…`);
    expect(shown.caret).toBe(`${' '.repeat(10)}${'^'.repeat(10)}`);
  });

  it('cuts only the start when the caret is near the end', () => {
    const at = LONG.lastIndexOf(']');
    const shown = excerptOf(LONG, [at, at + 1]);
    expect(shown.line).toBe(`…${LONG.slice(LONG.length - MAX_EXCERPT + 1)}`);
    expect(shown.caret).toBe(`${' '.repeat(MAX_EXCERPT - 1)}^`);
  });

  it('puts a caret at the end of the line after its last character', () => {
    const shown = excerptOf(`${LONG} RowCount >`, [LONG.length + 11, LONG.length + 11]);
    expect(shown.line.endsWith('RowCount >')).toBe(true);
    expect(shown.caret).toBe(`${' '.repeat(MAX_EXCERPT)}^`);
  });

  it('shortens a caret longer than the window to what is shown', () => {
    const shown = excerptOf(LONG, [5, LONG.length]);
    expect(shown.line).toBe(`${LONG.slice(0, MAX_EXCERPT - 1)}…`);
    expect(shown.caret).toBe(`${' '.repeat(5)}${'^'.repeat(MAX_EXCERPT - 1 - 5)}`);
  });

  it('keeps the header at the real line and column', () => {
    const at = LONG.indexOf('"c30"');
    expect(format(LONG, [at, at + 5]).split('\n')[0]).toBe(`r.dqdl:1:${at + 1}: dqdl.unknown-rule-type: boom`);
  });

  it('keeps tabs before the caret, so it stays aligned', () => {
    const text = `\t${LONG}`;
    const shown = excerptOf(text, [1, 6]);
    expect(shown.caret).toBe('\t^^^^^');
    expect(underCaret(shown)).toBe('Rules');
  });

  it('never cuts a character in two', () => {
    const text = '😀'.repeat(100);
    for (const at of [100, 101, 102, 103]) {
      const { line } = excerptOf(text, [at, at + 2]);
      expect(line.replace(/…/g, '')).toMatch(/^(?:😀)+$/u);
    }
  });
});
