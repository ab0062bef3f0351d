import type { LineIndex } from '../text/line-index.js';
import type { Diagnostic } from './diagnostics.js';

export { LineIndex, type LineCol } from '../text/line-index.js';

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
