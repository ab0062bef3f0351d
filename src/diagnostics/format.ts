import type { Diagnostic } from './diagnostic.js';
import { excerpt } from './excerpt.js';
import type { SourceText } from './source-text.js';

/**
 * `file:line:col: code: message` (`file:line:col: warning: code: message` for a warning), then
 * the offending line and a caret under the range, the way compilers print it. A range over
 * several lines is marked to the end of its first; a long line is cut around the caret.
 */
export function formatDiagnostic(diagnostic: Diagnostic, source: SourceText): string {
  const { line, col } = source.locate(diagnostic.pos[0]);
  const text = source.lineText(line);
  const last = source.locate(Math.max(diagnostic.pos[0], diagnostic.pos[1] - 1));
  const shown = excerpt(text, col - 1, last.line === line ? last.col - col + 1 : text.length - col + 1);
  const gutter = ' '.repeat(String(line).length);
  const where = [diagnostic.file, line, col].filter((part) => part !== undefined).join(':');
  return [
    `${where}: ${diagnostic.severity === 'warning' ? 'warning: ' : ''}${diagnostic.code}: ${diagnostic.message}`,
    `${gutter} |`,
    `${line} | ${shown.text}`,
    `${gutter} | ${shown.pad}${'^'.repeat(shown.width)}`,
  ].join('\n');
}
