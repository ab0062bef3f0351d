import { Problem } from '../../kit/errors/problem.js';
import type { BatchResult, Bookmark, BookmarkState, BookmarkStatus, Mutation, NewHistoryEntry, Run, RunOptions, Snapshot } from './types.js';

/**
 * The bookmark lifecycle as pure functions: each takes what the store read
 * under the bookmark's lock and returns what to write, or throws a coded
 * problem (then nothing is written). The stores apply a mutation in one
 * transaction, so a transition happens whole or not at all.
 */

export interface Actor {
  readonly actor: string;
  readonly at: string;
}

export type ClaimOutcome =
  /** A new run: list its batch from `run.state_before`. */
  | { readonly kind: 'claimed'; readonly run: Run }
  /** The same run again: return its batch, or list it if it has none yet. */
  | { readonly kind: 'existing'; readonly run: Run };

export interface ClaimArgs extends Actor {
  readonly name: string;
  readonly runId: string;
  readonly source: string;
  readonly options: RunOptions;
  readonly initialState: () => BookmarkState;
}

function entry(name: string, who: Actor, action: NewHistoryEntry['action'], runId: string | null, detail: Record<string, unknown> = {}): NewHistoryEntry {
  return { bookmark: name, at: who.at, actor: who.actor, action, run_id: runId, detail };
}

export function notFound(name: string): Problem {
  return new Problem('Bookmark.NotFound', { detail: `no bookmark named ${JSON.stringify(name)}` });
}

function runNotFound(name: string, runId: string, why = 'never began'): Problem {
  return new Problem('Bookmark.RunNotFound', { detail: `run ${JSON.stringify(runId)} of bookmark ${JSON.stringify(name)} ${why}` });
}

function disabled(name: string): Problem {
  return new Problem('Bookmark.Disabled', { detail: `bookmark ${JSON.stringify(name)} is disabled; enable it first` });
}

export function inProgress(bookmark: Bookmark, run: Run | undefined): Problem {
  const who = run ? ` began at ${run.begun_at} by ${run.begun_by}` : '';
  return new Problem('Bookmark.RunInProgress', {
    detail:
      `run ${JSON.stringify(bookmark.inflight_run_id)} of bookmark ${JSON.stringify(bookmark.name)}${who} and has not committed. ` +
      'Commit it, retry it with the same run_id (it gets the same batch), or abandon it with POST /v1/bookmarks/{name}/runs/{run_id}/abandon.',
  });
}

/** `begin`, part one: take the bookmark's one in-flight slot for this run. */
export function claim(snap: Snapshot, args: ClaimArgs): Mutation<ClaimOutcome> {
  const history: NewHistoryEntry[] = [];
  let bookmark = snap.bookmark;
  if (!bookmark) {
    bookmark = {
      name: args.name,
      source: args.source,
      status: 'enabled',
      state: args.initialState(),
      inflight_run_id: null,
      last_committed_run_id: null,
      created_at: args.at,
      updated_at: args.at,
    };
    history.push(entry(args.name, args, 'created', null, { source: args.source }));
  } else if (bookmark.source !== args.source) {
    throw new Problem('Request.Invalid', {
      detail: `bookmark ${JSON.stringify(args.name)} reads ${bookmark.source}, not ${args.source}; reset it or use another name`,
      errors: [{ path: '/source', message: `must be ${bookmark.source} for this bookmark` }],
    });
  }
  const existing = snap.runs.get(args.runId);
  if (existing && existing.status !== 'abandoned') {
    // A run that has not listed its batch yet (its begin failed) lists with this request's
    // options: the fixed spec of a cleared task. `attachResult` keeps them with the batch.
    return { result: { kind: 'existing', run: existing.result ? existing : { ...existing, options: args.options } } };
  }
  if (bookmark.status === 'disabled') throw disabled(args.name);
  if (bookmark.inflight_run_id !== null && bookmark.inflight_run_id !== args.runId) {
    throw inProgress(bookmark, snap.runs.get(bookmark.inflight_run_id));
  }
  const run: Run = {
    bookmark: args.name,
    run_id: args.runId,
    status: 'begun',
    options: args.options,
    result: null,
    state_before: bookmark.state,
    state_after: null,
    advanced: null,
    begun_at: args.at,
    begun_by: args.actor,
    ended_at: null,
    ended_by: null,
  };
  history.push(entry(args.name, args, 'run.begun', args.runId, { mode: bookmark.status, options: args.options }));
  return {
    bookmark: { ...bookmark, inflight_run_id: args.runId, updated_at: args.at },
    runs: [run],
    history,
    result: { kind: 'claimed', run },
  };
}

/**
 * `begin`, part two: keep the listed batch, with the options it was listed with (the commit
 * advances by them). The first batch kept wins, so a retry gets the same one.
 */
export function attachResult(snap: Snapshot, name: string, runId: string, result: BatchResult, options: RunOptions): Mutation<BatchResult> {
  const run = snap.runs.get(runId);
  if (!snap.bookmark) throw notFound(name);
  if (!run || run.status === 'abandoned') throw runNotFound(name, runId, run ? 'was abandoned' : 'never began');
  if (run.result) return { result: run.result };
  return { runs: [{ ...run, options, result }], result };
}

/** `commit`: advance the bookmark past the run's batch (or, when paused, only record the run). */
export function commit(
  snap: Snapshot,
  name: string,
  runId: string,
  who: Actor,
  advance: (state: BookmarkState, run: Run) => BookmarkState,
): Mutation<{ bookmark: Bookmark; replayed: boolean }> {
  const bookmark = snap.bookmark;
  if (!bookmark) throw notFound(name);
  const run = snap.runs.get(runId);
  if (!run) throw runNotFound(name, runId);
  if (run.status === 'committed') return { result: { bookmark, replayed: true } };
  if (run.status === 'abandoned') throw runNotFound(name, runId, 'was abandoned (by reset, rewind or abandon); begin a new run');
  if (!run.result) {
    throw new Problem('Bookmark.RunInProgress', { detail: `run ${JSON.stringify(runId)} is still listing its batch; commit after begin has succeeded` });
  }
  if (bookmark.status === 'disabled') throw disabled(name);
  const advanced = bookmark.status === 'enabled';
  const state = advanced ? advance(bookmark.state, run) : bookmark.state;
  const next: Bookmark = { ...bookmark, state, inflight_run_id: null, last_committed_run_id: runId, updated_at: who.at };
  const batch = run.result.batch;
  const size = 'objects' in batch ? { objects: batch.objects.length, total_bytes: batch.total_bytes } : { range: batch.range };
  return {
    bookmark: next,
    runs: [{ ...run, status: 'committed', state_after: state, advanced, ended_at: who.at, ended_by: who.actor }],
    history: [entry(name, who, 'run.committed', runId, { advanced, ...size })],
    result: { bookmark: next, replayed: false },
  };
}

/** Checks made before a commit job is created: nothing is written. */
export function checkCommit(snap: Snapshot, name: string, runId: string): void {
  if (!snap.bookmark) throw notFound(name);
  const run = snap.runs.get(runId);
  if (!run) throw runNotFound(name, runId);
  if (run.status === 'abandoned') throw runNotFound(name, runId, 'was abandoned');
  if (run.status === 'begun' && snap.bookmark.status === 'disabled') throw disabled(name);
}

function abandonInflight(snap: Snapshot, bookmark: Bookmark, who: Actor, why: string): { runs: Run[]; history: NewHistoryEntry[] } {
  const id = bookmark.inflight_run_id;
  const run = id === null ? undefined : snap.runs.get(id);
  if (!run || run.status !== 'begun') return { runs: [], history: [] };
  return {
    runs: [{ ...run, status: 'abandoned', ended_at: who.at, ended_by: who.actor }],
    history: [entry(bookmark.name, who, 'run.abandoned', run.run_id, { reason: why })],
  };
}

export function abandon(snap: Snapshot, name: string, runId: string, who: Actor): Mutation<Bookmark> {
  const bookmark = snap.bookmark;
  if (!bookmark) throw notFound(name);
  const run = snap.runs.get(runId);
  if (!run) throw runNotFound(name, runId);
  if (run.status !== 'begun') return { result: bookmark };
  const next = { ...bookmark, inflight_run_id: null, updated_at: who.at };
  const { runs, history } = abandonInflight(snap, bookmark, who, 'abandoned on request');
  return { bookmark: next, runs, history, result: next };
}

const STATUS_ACTION = { enabled: 'enabled', paused: 'paused', disabled: 'disabled' } as const;

export function setStatus(snap: Snapshot, name: string, status: BookmarkStatus, who: Actor): Mutation<Bookmark> {
  const bookmark = snap.bookmark;
  if (!bookmark) throw notFound(name);
  if (bookmark.status === status) return { result: bookmark };
  const next = { ...bookmark, status, updated_at: who.at };
  return { bookmark: next, history: [entry(name, who, STATUS_ACTION[status], null, { from: bookmark.status })], result: next };
}

/** Forget every mark: the next run reads the source from the start. An in-flight run is abandoned. */
export function reset(snap: Snapshot, name: string, initial: BookmarkState, who: Actor): Mutation<Bookmark> {
  const bookmark = snap.bookmark;
  if (!bookmark) throw notFound(name);
  const { runs, history } = abandonInflight(snap, bookmark, who, 'reset');
  const next = { ...bookmark, state: initial, inflight_run_id: null, updated_at: who.at };
  return { bookmark: next, runs, history: [...history, entry(name, who, 'reset', null, { state_before: bookmark.state })], result: next };
}

/** Go back to the marks as they were right after an earlier committed run. An in-flight run is abandoned. */
export function rewind(snap: Snapshot, name: string, toRunId: string, who: Actor): Mutation<Bookmark> {
  const bookmark = snap.bookmark;
  if (!bookmark) throw notFound(name);
  const target = snap.runs.get(toRunId);
  if (!target || target.status !== 'committed' || !target.state_after) throw runNotFound(name, toRunId, 'is not a committed run');
  const { runs, history } = abandonInflight(snap, bookmark, who, `rewound to ${toRunId}`);
  const next = { ...bookmark, state: target.state_after, inflight_run_id: null, updated_at: who.at };
  return {
    bookmark: next,
    runs,
    history: [...history, entry(name, who, 'rewound', toRunId, { state_before: bookmark.state })],
    result: next,
  };
}
