/** Evaluation errors for people: `rules.dqdl:3:14: code: message` with a caret, or `data.csv:7: ...`. */
import { formatDiagnostic } from '../diagnostics.js';
import type { EvalError } from './types.js';

export function formatEvalError(rulesFile: string, rulesText: string, e: EvalError): string {
  if (e.pos !== undefined) {
    return formatDiagnostic(rulesFile, rulesText, { code: e.code, message: e.message, pos: e.pos });
  }
  const where = e.file === undefined ? '' : `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: `;
  return `${where}${e.code}: ${e.message}`;
}
