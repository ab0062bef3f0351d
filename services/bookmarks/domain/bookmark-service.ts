import { Problem } from '../../kit/errors/problem.js';
import { groupObjects } from './grouping.js';
import { advanceMarks, initialS3Marks, selectNew } from './marks.js';
import { partitionOf } from './partitions.js';
import { requireS3Uri, type S3Location } from './s3-uri.js';
import * as t from './transitions.js';
import type { BatchResult, BeginInput, BeginResult, Bookmark, BookmarkState, BookmarkStatus, HistoryEntry, Run, RunOptions, S3Marks } from './types.js';
import type { ObjectLister } from '../objects/object-lister.js';
import { listCandidates } from '../objects/listing.js';
import type { BatchManifests } from '../manifests/batch-manifests.js';
import type { BookmarkStore, HistoryQuery } from '../store/types.js';
import { initialTableMarks, requireTableUri, tableRange, type TableReader } from '../table/table-source.js';

export interface BookmarkServiceDeps {
  readonly store: BookmarkStore;
  readonly lister: ObjectLister;
  /** Table sources by connection name. */
  readonly tables?: Readonly<Record<string, TableReader>>;
  readonly now?: () => Date;
  /** Where a batch of more than `manifests.inlineMax` objects is written; without it, batches stay inline. */
  readonly manifests?: BatchManifests;
}

/** The bookmarks service's operations, over a store and a lister. HTTP lives in http/. */
export class BookmarkService {
  private readonly now: () => Date;
  /** The configured table connections' names (a `table://` source must name one). */
  readonly tableConnections: ReadonlySet<string>;

  constructor(private readonly deps: BookmarkServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.tableConnections = new Set(Object.keys(deps.tables ?? {}));
  }

  /** Takes the in-flight slot (admission): `409 Bookmark.RunInProgress` when another run holds it. */
  async claim(input: BeginInput, actor: string): Promise<t.ClaimOutcome> {
    const at = this.now().toISOString();
    return this.deps.store.transact(input.name, [input.run_id], (snap) =>
      t.claim(snap, {
        name: input.name,
        runId: input.run_id,
        source: input.source,
        options: input.options,
        actor,
        at,
        initialState: () => this.initialState(input.source, input.options),
      }),
    );
  }

  /**
   * Begins (or resumes) a run and returns its batch: the same batch for every retry of the run.
   * The run keeps its objects in the store; a batch of more than `manifests.inlineMax` objects
   * is answered as a reference to its manifest (`{manifest, count, total_bytes}`), which is
   * content-addressed, so every retry of the run answers the same reference.
   */
  async begin(input: BeginInput, actor: string): Promise<BeginResult> {
    const outcome = await this.claim(input, actor);
    if (outcome.run.result) return this.toWire(outcome.run.result);
    const listed = await this.listBatch(input.name, input.source, outcome.run);
    const result = await this.deps.store.transact(input.name, [input.run_id], (snap) => t.attachResult(snap, input.name, input.run_id, listed, outcome.run.options));
    return this.toWire(result);
  }

  private async toWire(result: BatchResult): Promise<BeginResult> {
    const manifests = this.deps.manifests;
    const batch = result.batch;
    if (manifests === undefined || !('objects' in batch) || batch.objects.length <= manifests.inlineMax) return result;
    const ref = await manifests.write(result.bookmark, result.run_id, result.source, batch.objects);
    return { ...result, batch: ref };
  }

  async checkCommit(name: string, runId: string): Promise<void> {
    await this.deps.store.transact(name, [runId], (snap) => {
      t.checkCommit(snap, name, runId);
      return { result: undefined };
    });
  }

  async commit(name: string, runId: string, actor: string): Promise<Bookmark> {
    const at = this.now().toISOString();
    const { bookmark } = await this.deps.store.transact(name, [runId], (snap) =>
      t.commit(snap, name, runId, { actor, at }, (state, run) => this.advance(state, run)),
    );
    return bookmark;
  }

  async abandon(name: string, runId: string, actor: string): Promise<Bookmark> {
    const at = this.now().toISOString();
    return this.deps.store.transact(name, [runId], (snap) => t.abandon(snap, name, runId, { actor, at }));
  }

  async setStatus(name: string, status: BookmarkStatus, actor: string): Promise<Bookmark> {
    const at = this.now().toISOString();
    return this.deps.store.transact(name, [], (snap) => t.setStatus(snap, name, status, { actor, at }));
  }

  async reset(name: string, actor: string): Promise<Bookmark> {
    const at = this.now().toISOString();
    return this.deps.store.transact(name, [], (snap) => {
      const b = snap.bookmark;
      const initial: BookmarkState = !b ? initialS3Marks() : b.state.kind === 's3' ? initialS3Marks() : initialTableMarks(b.state.keys);
      return t.reset(snap, name, initial, { actor, at });
    });
  }

  async rewind(name: string, toRunId: string, actor: string): Promise<Bookmark> {
    const at = this.now().toISOString();
    return this.deps.store.transact(name, [toRunId], (snap) => t.rewind(snap, name, toRunId, { actor, at }));
  }

  async get(name: string): Promise<Bookmark> {
    const b = await this.deps.store.get(name);
    if (!b) throw t.notFound(name);
    return b;
  }

  list(): Promise<Bookmark[]> {
    return this.deps.store.list();
  }

  async getRun(name: string, runId: string): Promise<Run> {
    await this.get(name);
    const run = await this.deps.store.getRun(name, runId);
    if (!run) throw new Problem('Bookmark.RunNotFound', { detail: `run ${JSON.stringify(runId)} of bookmark ${JSON.stringify(name)} never began` });
    return run;
  }

  async runs(name: string, limit: number): Promise<Array<Omit<Run, 'result'>>> {
    await this.get(name);
    return this.deps.store.listRuns(name, limit);
  }

  async history(name: string, query: HistoryQuery): Promise<HistoryEntry[]> {
    await this.get(name);
    return this.deps.store.history(name, query);
  }

  /** Glue resets go into the same history, under `glue:<job>`. */
  async recordGlueReset(job: string, runId: string | null, actor: string): Promise<void> {
    await this.deps.store.appendHistory({ bookmark: `glue:${job}`, at: this.now().toISOString(), actor, action: 'glue.reset', run_id: runId, detail: {} });
  }

  /** The history of Glue bookmark resets made through this service. */
  glueHistory(job: string, limit: number): Promise<HistoryEntry[]> {
    return this.deps.store.history(`glue:${job}`, { limit });
  }

  private initialState(source: string, options: RunOptions): BookmarkState {
    return source.startsWith('table://') ? initialTableMarks(options.keys ?? []) : initialS3Marks();
  }

  private async listBatch(name: string, source: string, run: Run): Promise<BatchResult> {
    const state = run.state_before;
    if (state.kind === 'table') {
      const loc = requireTableUri(source);
      const reader = this.deps.tables?.[loc.connection];
      if (!reader) throw new Problem('Request.Invalid', { detail: `no table connection ${loc.connection}` });
      const keys = state.keys.length > 0 ? state.keys : (run.options.keys ?? []);
      const max = await reader.maxKey(loc.table, keys);
      return { run_id: run.run_id, bookmark: name, source: source, batch: { range: { keys, ...tableRange({ ...state, keys }, max) } }, groups: [] };
    }
    const location = requireS3Uri(source);
    const candidates = await listCandidates(this.deps.lister, {
      location,
      partitioning: run.options.partitioning,
      lookbackPartitions: run.options.lookback_partitions,
      marks: state,
    });
    const fresh = selectNew(candidates, state, run.options.tolerance_seconds);
    const partition = this.partitionFn(location, run.options);
    const { objects, groups } = groupObjects(fresh, run.options.target_batch_bytes, (key) => partition(key)?.value ?? null);
    const total = objects.reduce((n, o) => n + o.size, 0);
    return { run_id: run.run_id, bookmark: name, source: source, batch: { objects, total_bytes: total }, groups };
  }

  private advance(state: BookmarkState, run: Run): BookmarkState {
    const result = run.result;
    if (!result) return state;
    if (state.kind === 'table') {
      const batch = result.batch;
      if (!('range' in batch)) return state;
      return { ...state, keys: batch.range.keys, high: batch.range.through ?? state.high };
    }
    const batch = result.batch;
    if (!('objects' in batch)) return state;
    const location = requireS3Uri(result.source);
    const partition = this.partitionFn(location, run.options);
    return advanceMarks(state as S3Marks, batch.objects, { toleranceSeconds: run.options.tolerance_seconds, partitionOf: partition });
  }

  private partitionFn(location: S3Location, options: RunOptions) {
    return (key: string) => {
      if (options.partitioning !== 'hive') return null;
      const p = partitionOf(key.slice(location.prefix.length));
      return p && { value: p.value, layout: p.layout };
    };
  }
}
