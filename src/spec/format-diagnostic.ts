import type { Diagnostic } from './diagnostics.js';

export interface LineCol {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in characters. */
  readonly col: number;
}

/** Line starts of a text, computed once, for offset → line/column lookups. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  locate(offset: number): LineCol {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, col: clamped - (this.starts[low] ?? 0) + 1 };
  }

  lineText(line: number): string {
    const start = this.starts[line - 1] ?? this.text.length;
    const next = this.starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }
}

/**
 * `file:line:col: code: message` (`file:line:col: warning: code: message` for a warning), then the offending line and a caret under the range,
 * the way compilers print it.
 */
export function formatDiagnostic(diagnostic: Diagnostic, index: LineIndex): string {
  const { line, col } = index.locate(diagnostic.pos[0]);
  const source = index.lineText(line);
  const end = index.locate(Math.max(diagnostic.pos[0], diagnostic.pos[1] - 1));
  const width = end.line === line ? Math.max(1, end.col - col + 1) : Math.max(1, source.length - col + 1);
  const gutter = String(line).length;
  return [
    `${diagnostic.file}:${line}:${col}: ${diagnostic.severity === 'warning' ? 'warning: ' : ''}${diagnostic.code}: ${diagnostic.message}`,
    `${' '.repeat(gutter)} |`,
    `${line} | ${source}`,
    `${' '.repeat(gutter)} | ${' '.repeat(col - 1)}${'^'.repeat(width)}`,
  ].join('\n');
}
