/**
 * Points inside a load where instrumentation may look in (tests and the
 * bench). Production passes no hooks. A hook may delay the load (the crash
 * tests stop here and kill the process) but never changes what it does.
 */
/**
 * In order: `copying`, staging has begun (data flows into the staging table, inside the
 * transaction); `merged`, every statement ran and the transaction is about to commit;
 * `committed`, the transaction committed and the job has not recorded its result yet.
 */
export const LOAD_CHECKPOINTS = ['copying', 'merged', 'committed'] as const;
export type LoadCheckpoint = (typeof LOAD_CHECKPOINTS)[number];

export interface LoadHooks {
  checkpoint?(point: LoadCheckpoint, info: { readonly key: string; readonly target: string }): Promise<void> | void;
}

export const NO_HOOKS: LoadHooks = {};
