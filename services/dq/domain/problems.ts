/**
 * Evaluator errors as protocol problems: `DQ.InvalidRuleset` (with line and column),
 * `Ruleset.TooComplex`, `DQ.InvalidData`, and `DQ.RulesFailed` for rules that did not pass.
 * A problem lists at most MAX_DIAGNOSTICS errors and says how many more there were. (A
 * rule's binding problem, such as an unknown column, is that rule's ERROR result, not a
 * problem of its own: `DQ.ColumnNotFound` is no longer answered.)
 */
import { SourceText } from '../../../src/diagnostics/source-text.js';
import type { DqdlDiagnostic } from '@dagwright/dqdl';
import type { StaticProblem } from '@dagwright/dqdl/check';
import type { EvalError } from '@dagwright/dqdl/eval';
import { Problem, type FieldError } from '../../kit/errors/problem.js';
import type { RuleSummary } from './types.js';

/** The most errors one problem lists. */
export const MAX_DIAGNOSTICS = 100;

function at(lines: SourceText, pos: readonly [number, number] | undefined): string {
  if (pos === undefined) return '';
  const { line, col } = lines.locate(pos[0]);
  return `line ${line}, column ${col}: `;
}

/** "the ruleset has N problems" and, past the cap, how many are not listed. */
function summary(total: number, first: string): string {
  if (total === 1) return `the ruleset has 1 problem: ${first}`;
  if (total <= MAX_DIAGNOSTICS) return `the ruleset has ${total} problems: ${first}`;
  return `the ruleset has ${total} problems; the first ${MAX_DIAGNOSTICS} are listed (${total - MAX_DIAGNOSTICS} more): ${first}`;
}

/**
 * `Ruleset.TooComplex` when the ruleset nests too deep, else `DQ.InvalidRuleset`. `total`:
 * how many diagnostics there were, when only the first are given.
 */
export function invalidRuleset(text: string, diagnostics: readonly (DqdlDiagnostic | StaticProblem)[], path = '/ruleset', total = diagnostics.length): Problem {
  const lines = new SourceText(text);
  const errors: FieldError[] = diagnostics.slice(0, MAX_DIAGNOSTICS).map((d) => ({ path, message: `${at(lines, d.pos)}${d.code}: ${d.message}` }));
  const code = diagnostics.some((d) => d.code === 'dqdl.too-complex') ? 'Ruleset.TooComplex' : 'DQ.InvalidRuleset';
  return new Problem(code, { detail: summary(total, errors[0]?.message ?? ''), errors });
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

/** The problem for an evaluation's errors: the code of the first, the first MAX_DIAGNOSTICS listed. */
export function evaluationProblem(text: string, errors: readonly EvalError[]): Problem {
  const first = errors[0]!;
  const lines = new SourceText(text);
  const list: FieldError[] = errors.slice(0, MAX_DIAGNOSTICS).map((e) => {
    if (e.code !== 'dq.invalid-data') return { path: '/ruleset', message: `${at(lines, e.pos)}${e.code}: ${e.message}` };
    const where = e.file !== undefined ? `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ` : '';
    return { path: '/dataset', message: `${where}${dataMessage(e.message)}` };
  });
  const more = errors.length - list.length;
  return new Problem(CODE[first.code], { detail: more > 0 ? `${list[0]!.message} (${errors.length} errors; the first ${list.length} are listed, ${more} more)` : list[0]!.message, errors: list });
}

/** `DQ.RulesFailed`: the rules that did not pass (FAIL or ERROR), each with its message. */
export function rulesFailed(rules: readonly RuleSummary[]): Problem {
  const failed = rules.filter((r) => r.result !== 'PASS');
  return new Problem('DQ.RulesFailed', {
    detail: `${failed.length} of ${rules.length} rules did not pass: ${failed.map((r) => `${r.name} ${r.rule} (${r.result})`).join('; ')}`,
    errors: failed.map((r) => ({ path: `/rules/${r.name.replace('Rule_', '')}`, message: `${r.result}: ${r.rule}${r.message !== undefined ? ` — ${r.message}` : ''}` })),
  });
}
