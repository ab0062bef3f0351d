/** What the dq service and an evaluation's child process say to each other over IPC. */
import type { EvaluateOptions, EvaluateResult } from '@dagwright/dqdl/eval';

/** EvaluateOptions as plain data: the ruleset as text, history as entries, now as ISO. */
export interface ChildRequest extends Omit<EvaluateOptions, 'ruleset' | 'history' | 'now'> {
  readonly text: string;
  readonly history: ReadonlyArray<readonly [string, readonly number[]]>;
  readonly now: string;
}

export type ChildReply = { readonly ok: true; readonly result: EvaluateResult } | { readonly ok: false; readonly message: string };
