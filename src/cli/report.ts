import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../diagnostics/format.js';
import type { SourceText } from '../diagnostics/source-text.js';
import type { EvalError } from '@dagwright/dqdl/eval';

/** Prints diagnostics to stderr as `file:line:col: code: message` with a caret excerpt, in the order given. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], source: SourceText): void {
  for (const diagnostic of diagnostics) process.stderr.write(formatDiagnostic(diagnostic, source) + '\n');
}

/** A spec's diagnostics, in the order of the file. */
export function printSpecDiagnostics(diagnostics: readonly Diagnostic[], source: SourceText): void {
  printDiagnostics([...diagnostics].sort((a, b) => a.pos[0] - b.pos[0]), source);
}

/** An evaluation error: `rules.dqdl:3:14: code: message` with a caret, or `data.csv:7: code: message`. */
export function formatEvalError(rulesFile: string, rules: SourceText, e: EvalError): string {
  if (e.pos !== undefined) return formatDiagnostic({ code: e.code, message: e.message, pos: e.pos, file: rulesFile }, rules);
  const where = e.file === undefined ? '' : `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: `;
  return `${where}${e.code}: ${e.message}`;
}
