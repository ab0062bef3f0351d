/**
 * Diagnostics are values: a stable code, a message for people and a [start, end) offset range
 * into the text they belong to. Line and column are computed only when one is shown
 * (`SourceText`, `formatDiagnostic`). Specs and DQDL rulesets share this one shape, each with
 * its own union of codes (`SpecDiagnostic`, `DqdlDiagnostic`).
 *
 * @dagwright/dqdl (packages/dqdl) imports nothing of dagwright: its `DqdlDiagnostic` is this
 * shape without the optional fields, so it is a `Diagnostic<DqdlCode>` as it is (`dagwright dq
 * lint` prints the parser's diagnostics through `printDiagnostics`, which the compiler checks).
 */

/** [start, end) UTF-16 offsets into a text. */
export type Span = readonly [start: number, end: number];

export interface Diagnostic<Code extends string = string> {
  readonly code: Code;
  readonly message: string;
  /** [start, end) UTF-16 offsets into the text. */
  readonly pos: Span;
  /** The file the text came from, as given on the command line. */
  readonly file?: string;
  /** JSON Pointer of the offending value (in a spec), when there is one. */
  readonly path?: string;
  /** A warning is printed and does not fail; absent means an error. */
  readonly severity?: 'warning';
}

export function isError(diagnostic: Diagnostic): boolean {
  return diagnostic.severity !== 'warning';
}
