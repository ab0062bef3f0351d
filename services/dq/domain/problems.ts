/**
 * Evaluator errors as protocol problems: `DQ.InvalidRuleset` (with line and column),
 * `DQ.ColumnNotFound`, `DQ.InvalidData`.
 */
import { lineCol, type Diagnostic } from '../../../src/dqdl/index.js';
import type { EvalError } from '../../../src/dqdl/eval/index.js';
import { HttpProblem, type FieldError } from '../../kit/errors/http-problem.js';

function at(text: string, pos: readonly [number, number] | undefined): string {
  if (pos === undefined) return '';
  const { line, col } = lineCol(text, pos[0]);
  return `line ${line}, column ${col}: `;
}

export function invalidRuleset(text: string, diagnostics: readonly Diagnostic[], path = '/ruleset'): HttpProblem {
  const errors: FieldError[] = diagnostics.map((d) => ({ path, message: `${at(text, d.pos)}${d.code}: ${d.message}` }));
  return new HttpProblem('DQ.InvalidRuleset', { detail: `the ruleset has ${diagnostics.length} problem(s): ${errors[0]?.message ?? ''}`, errors });
}

const CODE: Record<EvalError['code'], 'DQ.InvalidRuleset' | 'DQ.ColumnNotFound' | 'DQ.InvalidData'> = {
  'dq.invalid-ruleset': 'DQ.InvalidRuleset',
  'dq.unsafe-sql': 'DQ.InvalidRuleset',
  'dq.invalid-sql': 'DQ.InvalidRuleset',
  'dq.missing-reference': 'DQ.InvalidRuleset',
  'dq.column-not-found': 'DQ.ColumnNotFound',
  'dq.invalid-data': 'DQ.InvalidData',
};

/**
 * What a data error may say: its kind only. The evaluator's message can quote the data
 * (DuckDB's `Original Line: …`, a value it could not convert) or list a folder's files;
 * neither belongs in an answer, which names the file (as the request gave it) and the line.
 */
function dataMessage(message: string): string {
  const format = /^not valid (CSV|JSON lines|Parquet)\b/.exec(message)?.[1];
  if (format !== undefined) return `not valid ${format}`;
  if (message.startsWith('cannot tell the format')) return 'cannot tell the format of the dataset\'s files: give format (csv, jsonl or parquet)';
  if (message.startsWith('cannot read')) return 'cannot read the file';
  if (/^dataset [A-Za-z0-9_]+ has no files$/.test(message)) return message;
  return 'the data could not be read';
}

/** The problem for an evaluation's errors: the code of the first, every error listed. */
export function evaluationProblem(text: string, errors: readonly EvalError[]): HttpProblem {
  const first = errors[0]!;
  const list: FieldError[] = errors.map((e) => {
    if (e.code !== 'dq.invalid-data') return { path: '/ruleset', message: `${at(text, e.pos)}${e.code}: ${e.message}` };
    const where = e.file !== undefined ? `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ` : '';
    return { path: '/dataset', message: `${where}${dataMessage(e.message)}` };
  });
  return new HttpProblem(CODE[first.code], { detail: list[0]!.message, errors: list });
}
