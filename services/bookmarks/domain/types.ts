import type { BatchManifestRef } from '../../../src/contract/index.js';

/** Bookmark domain types. Timestamps are ISO-8601 UTC strings with milliseconds. */

export type BookmarkStatus = 'enabled' | 'paused' | 'disabled';

/** One version of one S3 object, as a listing shows it. */
export interface ObjectVersion {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  readonly last_modified: string;
}

/** What identifies a version inside the tolerance band. */
export type VersionRef = Pick<ObjectVersion, 'key' | 'etag' | 'last_modified'>;

export type PartitionLayout = 'dt' | 'ymd';

/** Committed marks of an S3 source (Glue's low/high marks, plus the band). */
export interface S3Marks {
  readonly kind: 's3';
  /** Earliest committed last-modified time. */
  readonly low: string | null;
  /** Latest committed last-modified time. */
  readonly high: string | null;
  /** Versions committed with last-modified in (high - band_seconds, high]. */
  readonly band: readonly VersionRef[];
  /** The tolerance the band was kept for. */
  readonly band_seconds: number;
  /** Latest committed hive partition value (`2026-01-31`), and its layout. */
  readonly partition: string | null;
  readonly layout: PartitionLayout | null;
}

export type KeyValue = string | number;

/** Committed high-watermark of a table source (strictly increasing keys). */
export interface TableMarks {
  readonly kind: 'table';
  readonly keys: readonly string[];
  readonly high: readonly KeyValue[] | null;
}

export type BookmarkState = S3Marks | TableMarks;

export interface Bookmark {
  readonly name: string;
  readonly source: string;
  readonly status: BookmarkStatus;
  readonly state: BookmarkState;
  readonly inflight_run_id: string | null;
  readonly last_committed_run_id: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface RunOptions {
  readonly partitioning: 'hive' | 'none';
  readonly tolerance_seconds: number;
  readonly lookback_partitions: number;
  readonly target_batch_bytes: number;
  /** Table sources: the bookmark keys. */
  readonly keys?: readonly string[];
}

export interface S3Batch {
  readonly objects: readonly ObjectVersion[];
  readonly total_bytes: number;
}

export interface TableBatch {
  readonly range: {
    readonly keys: readonly string[];
    /** Exclusive lower bound (the committed high-watermark); null: from the start. */
    readonly after: readonly KeyValue[] | null;
    /** Inclusive upper bound, fixed when the run began; null: the table was empty. */
    readonly through: readonly KeyValue[] | null;
  };
}

/** A contiguous slice `objects[first, first + count)` of one partition, toward the target size. */
export interface Group {
  readonly first: number;
  readonly count: number;
  readonly total_bytes: number;
  readonly partition: string | null;
}

/** The job result of `begin`: what the DAG processes. */
export interface BatchResult {
  readonly run_id: string;
  readonly bookmark: string;
  readonly source: string;
  readonly batch: S3Batch | TableBatch;
  readonly groups: readonly Group[];
}

/**
 * What a commit answers (its job's result, the commit task's XCom): the bookmark, with an S3
 * state's band given as its size. The band can hold every object of a large batch; the whole
 * bookmark is `GET /v1/bookmarks/{name}`.
 */
export interface BookmarkSummary extends Omit<Bookmark, 'state'> {
  readonly state: (Omit<S3Marks, 'band'> & { readonly band_size: number }) | TableMarks;
}

export function summarize(bookmark: Bookmark): BookmarkSummary {
  const state = bookmark.state;
  if (state.kind !== 's3') return bookmark as BookmarkSummary;
  const { band, ...rest } = state;
  return { ...bookmark, state: { ...rest, band_size: band.length } };
}

/** The body of `POST /v1/bookmarks/{name}/runs`. */
export interface BeginBody {
  readonly run_id: string;
  readonly source: string;
  readonly partitioning?: 'hive' | 'none';
  readonly tolerance_seconds?: number;
  readonly lookback_partitions?: number;
  readonly target_batch_bytes?: number;
  readonly keys?: readonly string[];
}

/** A validated begin request: the job's input. */
export interface BeginInput {
  readonly name: string;
  readonly run_id: string;
  /** Normalised source URI. */
  readonly source: string;
  readonly options: RunOptions;
}

/** What `begin` answers: the run's batch, or for a large S3 batch a reference to its manifest. */
export interface BeginResult extends Omit<BatchResult, 'batch'> {
  readonly batch: S3Batch | TableBatch | BatchManifestRef;
}

export type RunStatus = 'begun' | 'committed' | 'abandoned';

export interface Run {
  readonly bookmark: string;
  readonly run_id: string;
  readonly status: RunStatus;
  readonly options: RunOptions;
  /** The batch; null while it is being listed. */
  readonly result: BatchResult | null;
  readonly state_before: BookmarkState;
  readonly state_after: BookmarkState | null;
  /** False when committed while paused. */
  readonly advanced: boolean | null;
  readonly begun_at: string;
  readonly begun_by: string;
  readonly ended_at: string | null;
  readonly ended_by: string | null;
}

export type HistoryAction =
  | 'created'
  | 'run.begun'
  | 'run.committed'
  | 'run.abandoned'
  | 'enabled'
  | 'paused'
  | 'disabled'
  | 'reset'
  | 'rewound'
  | 'glue.reset';

export interface HistoryEntry {
  readonly id: number;
  readonly bookmark: string;
  readonly at: string;
  readonly actor: string;
  readonly action: HistoryAction;
  readonly run_id: string | null;
  readonly detail: Record<string, unknown>;
}

export type NewHistoryEntry = Omit<HistoryEntry, 'id'>;

/** What a store reads, under a per-bookmark lock, before a transition. */
export interface Snapshot {
  readonly bookmark: Bookmark | undefined;
  /** The in-flight run and any runs asked for, by id. */
  readonly runs: ReadonlyMap<string, Run>;
}

/** What a transition writes, atomically. */
export interface Mutation<R> {
  readonly bookmark?: Bookmark;
  readonly runs?: readonly Run[];
  readonly history?: readonly NewHistoryEntry[];
  readonly result: R;
}

export const DEFAULTS = {
  tolerance_seconds: 900,
  lookback_partitions: 1,
  target_batch_bytes: 128 * 1024 * 1024,
  partitioning: 'none',
} as const;
