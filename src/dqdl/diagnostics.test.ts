import { describe, expect, it } from 'vitest';
import { formatDiagnostic, lineCol } from './diagnostics.js';

describe('lineCol', () => {
  const text = 'ab\ncd\r\n\nef';
  const table: [string, { given: number; want: { line: number; col: number } }][] = [
    ['start', { given: 0, want: { line: 1, col: 1 } }],
    ['end of the first line', { given: 2, want: { line: 1, col: 3 } }],
    ['after a newline', { given: 3, want: { line: 2, col: 1 } }],
    ['CR is a column', { given: 5, want: { line: 2, col: 3 } }],
    ['empty line', { given: 7, want: { line: 3, col: 1 } }],
    ['last character', { given: 9, want: { line: 4, col: 2 } }],
    ['past the end is clamped', { given: 99, want: { line: 4, col: 3 } }],
  ];
  it.each(table)('%s', (_name, { given, want }) => {
    expect(lineCol(text, given)).toEqual(want);
  });
});

describe('formatDiagnostic', () => {
  const table: [string, { given: { text: string; pos: [number, number] }; want: string }][] = [
    [
      'caret under the range',
      {
        given: { text: 'Rules = [\n    Foo "x"\n]', pos: [14, 21] },
        want: ['r.dqdl:2:5: dqdl.unknown-rule-type: boom', '  |', '2 |     Foo "x"', '  |     ^^^^^^^'].join('\n'),
      },
    ],
    [
      'an empty range still gets one caret',
      { given: { text: 'Rules = [', pos: [9, 9] }, want: ['r.dqdl:1:10: dqdl.unknown-rule-type: boom', '  |', '1 | Rules = [', '  |          ^'].join('\n') },
    ],
    [
      'a range over several lines stops at the end of the first',
      { given: { text: 'ab\ncd', pos: [1, 5] }, want: ['r.dqdl:1:2: dqdl.unknown-rule-type: boom', '  |', '1 | ab', '  |  ^'].join('\n') },
    ],
  ];
  it.each(table)('%s', (_name, { given, want }) => {
    expect(formatDiagnostic('r.dqdl', given.text, { code: 'dqdl.unknown-rule-type', message: 'boom', pos: given.pos })).toBe(want);
  });
});
