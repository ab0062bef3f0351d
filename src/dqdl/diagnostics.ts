/**
 * DQDL diagnostics are values: a stable code, a message for people and a [start, end)
 * offset range into the ruleset text. Line and column are computed only for display.
 */
export type DqdlCode =
  // lexical
  | 'dqdl.invalid-character'
  | 'dqdl.unterminated-string'
  // syntax
  | 'dqdl.syntax'
  | 'dqdl.too-complex'
  | 'dqdl.section-order'
  | 'dqdl.duplicate-section'
  // document
  | 'dqdl.no-rules'
  | 'dqdl.empty-dictionary'
  | 'dqdl.unsupported-key'
  | 'dqdl.invalid-value'
  // variables
  | 'dqdl.variable-name'
  | 'dqdl.variable-redefined'
  | 'dqdl.variable-nested'
  | 'dqdl.variable-undefined'
  | 'dqdl.variable-type'
  // conditions
  | 'dqdl.condition-operator'
  | 'dqdl.mixed-operands'
  | 'dqdl.invalid-time'
  | 'dqdl.invalid-time-zone'
  // rule types (catalogue)
  | 'dqdl.unknown-rule-type'
  | 'dqdl.rule-arity'
  | 'dqdl.analyzer-only'
  | 'dqdl.analyzer-unsupported'
  | 'dqdl.condition-missing'
  | 'dqdl.condition-unexpected'
  | 'dqdl.condition-type'
  // where clauses and tags
  | 'dqdl.where-unsupported'
  | 'dqdl.where-empty'
  | 'dqdl.threshold-unsupported'
  | 'dqdl.threshold-duplicate'
  | 'dqdl.threshold-type'
  | 'dqdl.tag-operator'
  // labels
  | 'dqdl.label-duplicate-key'
  | 'dqdl.label-key'
  | 'dqdl.label-value'
  | 'dqdl.label-limit'
  | 'dqdl.labels-twice';

import { LineIndex, type LineCol } from '../text/line-index.js';

export { LineIndex, type LineCol };

export type Span = readonly [start: number, end: number];

export interface Diagnostic {
  readonly code: DqdlCode;
  readonly message: string;
  /** [start, end) UTF-16 offsets into the ruleset text. */
  readonly pos: Span;
}

export function diag(code: DqdlCode, message: string, pos: Span): Diagnostic {
  return { code, message, pos };
}

/** 1-based line and column of an offset (clamped to the text). For many offsets, use one LineIndex. */
export function lineCol(text: string, offset: number): LineCol {
  return new LineIndex(text).locate(offset);
}

/**
 * `file:line:col: code: message`, then the offending line and a caret under the range.
 * Give the text's `LineIndex` when formatting several diagnostics of one text.
 */
export function formatDiagnostic(file: string, text: string, d: Pick<Diagnostic, 'message' | 'pos'> & { readonly code: string }, lines = new LineIndex(text)): string {
  const { line, col } = lines.locate(d.pos[0]);
  const source = lines.lineText(line);
  const last = lines.locate(Math.max(d.pos[0], d.pos[1] - 1));
  const width =
    last.line === line ? Math.max(1, last.col - col + 1) : Math.max(1, source.length - col + 1);
  const gutter = ' '.repeat(String(line).length);
  return [
    `${file}:${line}:${col}: ${d.code}: ${d.message}`,
    `${gutter} |`,
    `${line} | ${source}`,
    `${gutter} | ${' '.repeat(col - 1)}${'^'.repeat(width)}`,
  ].join('\n');
}
