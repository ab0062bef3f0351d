/**
 * DQDL diagnostics are values: a stable code, a message for people and a [start, end)
 * offset range into the ruleset text. Line and column are computed only for display, by the
 * caller. The package imports nothing of its users: dagwright's own diagnostics
 * (src/diagnostics/diagnostic.ts) have this shape and more optional fields, so they accept a
 * DqdlDiagnostic as it is.
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

/** [start, end) UTF-16 offsets into the ruleset text. */
export type Span = readonly [start: number, end: number];

export interface DqdlDiagnostic {
  readonly code: DqdlCode;
  readonly message: string;
  readonly pos: Span;
}

export function diag(code: DqdlCode, message: string, pos: Span): DqdlDiagnostic {
  return { code, message, pos };
}
