/** What the dq service and its ruleset-parsing worker thread say to each other. */
import type { DqdlDiagnostic } from '@dagwright/dqdl';
import type { StaticCheckOptions, StaticProblem } from '@dagwright/dqdl/check';

export interface ParseRequest {
  readonly id: number;
  readonly text: string;
  /**
   * Also the DuckDB evaluator's checks that need no data (`checkRulesetStatically`), with
   * these options; absent: the parser's checks only (a ruleset for AWS Glue).
   */
  readonly evaluator?: StaticCheckOptions;
}

export type ParseReply =
  | { readonly id: number; readonly ok: true; readonly rules: number; readonly analyzers: number }
  | { readonly id: number; readonly ok: false; readonly diagnostics: readonly (DqdlDiagnostic | StaticProblem)[]; readonly total: number }
  /** The check itself failed (DuckDB could not be loaded, a bug): not the ruleset's fault. */
  | { readonly id: number; readonly ok: 'error'; readonly message: string };
