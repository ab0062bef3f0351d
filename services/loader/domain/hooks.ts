/**
 * Points inside a load where instrumentation may look in (tests and the
 * bench). Production passes no hooks. A hook may delay the load (the crash
 * tests stop here and kill the process) but never changes what it does.
 */
export type LoadCheckpoint =
  /** Staging has begun: data is flowing into the staging table, inside the transaction. */
  | 'copying'
  /** Every statement ran; the transaction is about to commit. */
  | 'merged'
  /** The transaction committed; the job has not recorded its result yet. */
  | 'committed';

export interface LoadHooks {
  checkpoint?(point: LoadCheckpoint, info: { readonly key: string; readonly target: string }): Promise<void> | void;
}

export const NO_HOOKS: LoadHooks = {};
