import type { Bookmark, HistoryAction, HistoryEntry, Mutation, NewHistoryEntry, Run, Snapshot } from '../domain/types.js';

export interface HistoryQuery {
  readonly limit: number;
  /** Entries with a smaller id (older) than this, for paging back. */
  readonly beforeId?: number;
  readonly action?: HistoryAction;
}

export interface StoreHooks {
  /**
   * Called inside a transaction, after the bookmark row is written and
   * before the run and history rows are. Synchronous on purpose: tests use
   * it to stop or kill the process in the middle of a commit.
   */
  readonly midTransaction?: (actions: readonly string[]) => void;
}

/**
 * Bookmark persistence. `transact` reads a snapshot under a per-bookmark lock,
 * lets a pure transition decide, and writes its mutation in the same
 * transaction: a transition happens whole or not at all.
 */
export interface BookmarkStore {
  migrate(): Promise<void>;
  ping(): Promise<void>;
  get(name: string): Promise<Bookmark | undefined>;
  list(): Promise<Bookmark[]>;
  getRun(name: string, runId: string): Promise<Run | undefined>;
  /** Newest first, without their batches. */
  listRuns(name: string, limit: number): Promise<Array<Omit<Run, 'result'>>>;
  /** Newest first. */
  history(name: string, query: HistoryQuery): Promise<HistoryEntry[]>;
  appendHistory(entry: NewHistoryEntry): Promise<void>;
  transact<R>(name: string, runIds: readonly string[], decide: (snap: Snapshot) => Mutation<R>): Promise<R>;
}
