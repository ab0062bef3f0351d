/** What the dq service and its ruleset-parsing worker thread say to each other. */
import type { DqdlDiagnostic } from '@dagwright/dqdl';

export type ParseReply =
  | { readonly id: number; readonly ok: true; readonly rules: number; readonly analyzers: number }
  | { readonly id: number; readonly ok: false; readonly diagnostics: readonly DqdlDiagnostic[]; readonly total: number };
