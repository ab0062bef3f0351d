import { LineCounter } from 'yaml';

export interface LineCol {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in UTF-16 code units. */
  readonly col: number;
}

/**
 * A text and where its lines start, for offset → line/column: yaml's `LineCounter` (line starts
 * and a binary search), filled once, so placing n diagnostics costs O(text + n log lines).
 * Lines end at \n; a \r before it counts as a column but is not part of the line's text.
 * The one place offsets become lines and columns, for specs and DQDL alike.
 */
export class SourceText {
  private readonly counter = new LineCounter();

  constructor(readonly text: string) {
    this.counter.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.counter.addNewLine(i + 1);
  }

  /** How many lines the text has (a final line break starts an empty last line). */
  get lineCount(): number {
    return this.counter.lineStarts.length;
  }

  /** 1-based line and column of an offset (clamped to the text). */
  locate(offset: number): LineCol {
    return this.counter.linePos(Math.max(0, Math.min(offset, this.text.length)));
  }

  /** The offset where a 1-based line starts (the end of the text past the last line). */
  lineStart(line: number): number {
    return this.counter.lineStarts[line - 1] ?? this.text.length;
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const next = this.counter.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(this.lineStart(line), end).replace(/\r$/, '');
  }
}
