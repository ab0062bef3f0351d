/**
 * Diagnostics are values: a stable code, a message for people, the file they belong to and
 * a [start, end) offset range into that file's text. Line and column are computed only
 * when a diagnostic is displayed (see `format-diagnostic.ts`).
 */
export type DiagnosticCode =
  | 'yaml.syntax'
  | 'yaml.duplicate-key'
  | 'yaml.not-a-mapping'
  | 'spec.unknown-key'
  | 'spec.missing-key'
  | 'spec.wrong-type'
  | 'spec.bad-value'
  | 'spec.bad-duration'
  | 'spec.bad-cron'
  | 'spec.bad-name'
  | 'spec.unknown-task-type'
  | 'graph.unknown-task'
  | 'graph.cycle'
  | 'graph.duplicate-task-id'
  | 'graph.self-dependency'
  | 'task.invalid'
  | 'task.dqdl'
  | 'task.format-mismatch'
  | 'retry.policies-unsupported'
  | 'retry.unknown-code'
  | 'retry.max-delay-ignored'
  | 'retry.ignored-on-sensor'
  | 'asset.rewritten'
  | 'asset.self-trigger'
  | 'for_each.unsupported'
  | 'for_each.bad-item'
  | 'for_each.item-unavailable'
  | 'for_each.mapped-input'
  | 'airflow.unknown-version'
  | 'airflow.unsupported-feature'
  | 'io.read-failed';

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly message: string;
  /** The spec file, as given on the command line. */
  readonly file: string;
  /** [start, end) character offsets into the file's text. */
  readonly pos: readonly [number, number];
  /** JSON Pointer of the offending value inside the spec, when there is one. */
  readonly path?: string;
  /** A warning is printed and the spec is still generated; absent means an error. */
  readonly severity?: 'warning';
}

export function isError(diagnostic: Diagnostic): boolean {
  return diagnostic.severity !== 'warning';
}

/** A result that either carries a value or the diagnostics that prevented it. */
export type Result<T> =
  | { readonly ok: true; readonly value: T; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function pointer(path: readonly (string | number)[]): string {
  return path.map((part) => '/' + String(part).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
