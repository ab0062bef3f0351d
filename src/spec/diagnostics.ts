import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** The codes of a spec's diagnostics (see src/diagnostics for the shape they share with DQDL's). */
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
  | 'load.unchecked-warehouse'
  | 'load.replace-incremental'
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
  | 'for_each.not-a-list'
  | 'airflow.unknown-version'
  | 'airflow.unsupported-feature'
  | 'io.read-failed';

/** A spec's diagnostic: always of one spec file. */
export type SpecDiagnostic = Diagnostic<DiagnosticCode> & { readonly file: string };

export function pointer(path: readonly (string | number)[]): string {
  return path.map((part) => '/' + String(part).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
