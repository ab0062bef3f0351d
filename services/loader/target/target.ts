import type { Logger } from 'pino';
import type { Problem } from '../../kit/errors/problem.js';
import type { LoadHooks } from '../domain/hooks.js';
import type { ObjectSource } from '../objects/object-source.js';
import type { BatchFormat, BatchObject, LoadMode, LoadOptions, TableColumn, TableRef, TypeFamily } from '../domain/types.js';

/**
 * One warehouse target: PostgreSQL, DuckDB or Redshift. Like a kysely
 * dialect, the target only assembles its parts; the load algorithm
 * (`domain/run-load.ts`) is written once against these interfaces and branches
 * on the adapter's capability flags, never on the target's kind.
 */
export interface WarehouseTarget<Tx extends Transaction = Transaction> {
  /** The configured name (`default`, `analytics`). */
  readonly name: string;
  readonly kind: TargetKind;
  readonly adapter: TargetAdapter;
  readonly compiler: SqlCompiler;
  readonly driver: Driver<Tx>;
  readonly introspector: Introspector;
  readonly stager: Stager<Tx>;
  readonly errors: ErrorClassifier;
  readonly availability: AvailabilityProbe;
  /** Schema of a table named without one. */
  readonly defaultSchema: string;
  /** Where the load ledger lives. */
  readonly ledger: TableRef;
  close(): Promise<void>;
}

export type TargetKind = 'postgres' | 'duckdb' | 'redshift';

/** What a target can do. The load algorithm asks these, never the target's kind. */
export interface TargetAdapter {
  /** `MERGE INTO … USING` exists; otherwise merge is `DELETE … USING` + `INSERT`. */
  readonly supportsMerge: boolean;
  /** Staged rows keep their load order, so ties on the ordering column go to the row loaded last. */
  readonly preservesLoadOrder: boolean;
  /** `ALTER TABLE … ADD COLUMN` may run inside the load's transaction. */
  readonly transactionalDdl: boolean;
  /** Longest identifier the target keeps without truncating it. */
  readonly maxIdentifierLength: number;
  /** Most columns a table may have; `undefined` when the target sets no limit a load could reach. */
  readonly maxColumns: number | undefined;
  /** A CSV delimiter must be one byte (one ASCII character); otherwise any one character. */
  readonly oneByteCsvDelimiter: boolean;
  /**
   * A primary key or unique constraint rejects a duplicate row as it is
   * inserted (PostgreSQL, DuckDB; Redshift's constraints are informational).
   * With it, a batch bound for an empty table may be copied straight in: a
   * duplicate key stops the copy instead of slipping through.
   */
  readonly enforcesUniqueKeys: boolean;
  /**
   * The stager can copy a batch straight into the table, by column name (the
   * direct path; see `CompiledDirect`). Redshift always stages: its Parquet
   * COPY maps columns by position.
   */
  readonly directLoads: boolean;
}

export type Row = Record<string, unknown>;

/** Statements inside one open transaction. */
export interface Transaction {
  /** Runs one statement. `label` names the step in error reports (`copy`, `merge`). */
  execute(sql: string, label?: string): Promise<void>;
  /** Reads inside the transaction: only on interactive drivers. */
  query?(sql: string): Promise<Row[]>;
}

/** Connections and transactions. */
export interface Driver<Tx extends Transaction = Transaction> {
  /**
   * True when statements run one by one on a live session (reads inside the
   * transaction are possible); false for drivers that submit the whole
   * transaction at once (the Redshift Data API).
   */
  readonly interactive: boolean;
  /** One read, outside any load transaction. */
  query(sql: string): Promise<Row[]>;
  /** One statement in its own transaction (ledger DDL). */
  run(sql: string): Promise<void>;
  /**
   * Runs `work` in one transaction: commit when it resolves, roll back when it
   * throws. `token` is unique per attempt (the Data API's ClientToken).
   */
  transaction<T>(work: (tx: Tx) => Promise<T>, options: { readonly token: string; readonly signal: AbortSignal }): Promise<T>;
  close(): Promise<void>;
}

/** Reads a table's columns and unique keys. */
export interface Introspector {
  /** The table's columns; `undefined` when the table does not exist. */
  describe(table: TableRef): Promise<readonly TableColumn[] | undefined>;
  /**
   * The column sets of the table's enforced unique keys (primary key, unique
   * constraints or indexes): checked at once, on plain columns, without a
   * predicate. Empty on a target whose keys are not enforced.
   */
  uniqueKeys(table: TableRef): Promise<ReadonlyArray<readonly string[]>>;
}

/** A column of the staging table: a batch column with the type it is staged as. */
export interface StageColumn {
  readonly name: string;
  readonly type: string;
}

/** Everything the SQL of one load depends on. */
export interface LoadPlan {
  readonly table: TableRef;
  readonly ledger: TableRef;
  /** Temporary tables of this load. */
  readonly names: { readonly stage: string; readonly dedup: string; readonly guard: string };
  /** Batch columns in file order. */
  readonly columns: readonly StageColumn[];
  /** New columns to add to the table (nullable). */
  readonly added: readonly StageColumn[];
  readonly mode: LoadMode;
  readonly keys: readonly string[];
  readonly orderBy: string | undefined;
  readonly ledgerRow: LedgerEntry;
}

/** What the ledger records besides the counts, which the SQL computes. */
export interface LedgerEntry {
  readonly key: string;
  readonly fingerprint: string;
  /** Unique per attempt: tells this attempt's commit from an earlier one. */
  readonly loadId: string;
  readonly table: string;
  readonly mode: LoadMode;
  readonly bytes: number;
  readonly objects: number;
}

/** The statements of one load, around the staging step. */
export interface CompiledLoad {
  /** New nullable columns: inside the transaction when DDL is transactional, else just before it. */
  readonly addColumns: readonly string[];
  /** Inside the transaction, before staging: lock, guard, staging table. */
  readonly begin: readonly string[];
  /** After staging: dedupe, ledger row, the write itself, dropping temporary tables. */
  readonly finish: readonly string[];
  /** Reads that must return no row (interactive drivers only): e.g. a null key. */
  readonly checks: readonly Check[];
}

/**
 * A read that must return no row; the row it returns describes the problem.
 * Drivers that send the whole transaction at once cannot read mid-way: they
 * run `guard` instead, which empties the guard table when the check fails, so
 * the load writes nothing and records no ledger row; `problem(undefined)` then
 * describes it (without counts).
 */
export interface Check {
  readonly sql: string;
  readonly guard: string;
  readonly problem: (row: Row | undefined) => Problem;
}

/**
 * The direct path (interactive drivers only): the batch is copied straight
 * into the table, in one transaction with its ledger row. Taken when the write
 * is a plain insert: an append or replace without keys, or, with keys, a
 * table that is empty (or being replaced) and whose unique key rejects a
 * duplicate in the batch, which sends the load down the staged path.
 */
export interface CompiledDirect {
  /** Inside the transaction: the key's lock, and the table's. */
  readonly begin: readonly string[];
  /**
   * A keyed append or merge may only copy into an empty table (replace
   * empties it first): when the table has a row, the load goes staged.
   */
  readonly requiresEmpty: boolean;
  /**
   * One row: `committed` (the ledger holds the key: a concurrent load won),
   * with `requiresEmpty` `occupied` (the table has a row), and for replace
   * `existing` (its rows).
   */
  readonly probe: string;
  /** Before the copy: replace empties the table. */
  readonly clear: readonly string[];
  /** After the copy, on the table (which held none of its rows before): e.g. a NULL key. */
  readonly checks: readonly Check[];
  /** The ledger row, with the counts the load observed. */
  ledger(counts: DirectCounts): string;
}

export interface DirectCounts {
  readonly loaded: number;
  readonly deleted: number;
}

/** The SQL text of a target. Values are inlined as literals, always through `literal`. */
export interface SqlCompiler {
  ident(name: string): string;
  table(ref: TableRef): string;
  literal(value: string | number | null): string;
  /** The type a new column of this family is created with. */
  typeName(family: TypeFamily): string;
  createLedger(ledger: TableRef): readonly string[];
  readLedger(ledger: TableRef, key: string): string;
  compileLoad(plan: LoadPlan): CompiledLoad;
  /** `nullableKeys`: key columns the table lets be NULL, checked after the copy. */
  compileDirect(plan: LoadPlan, nullableKeys: readonly string[]): CompiledDirect;
}

/** The batch as the stager loads it. */
export interface StageBatch {
  readonly objects: readonly BatchObject[];
  readonly format: BatchFormat;
  readonly options: LoadOptions;
}

export interface StageContext {
  readonly objects: ObjectSource;
  readonly signal: AbortSignal;
  readonly hooks: LoadHooks;
  readonly tempDir: string;
  readonly log: Logger;
}

/** Where the stager writes: the load's staging table, or (the direct path) the table itself. */
export type StageInto = 'staging' | 'table';

export interface StageOutcome {
  /** Rows written, when the warehouse reports them (not through the Data API). */
  readonly rows: number | undefined;
}

/** Gets a batch's objects into the staging table, or the table (inside the transaction). */
export interface Stager<Tx extends Transaction = Transaction> {
  stage(tx: Tx, plan: LoadPlan, batch: StageBatch, ctx: StageContext, into: StageInto): Promise<StageOutcome>;
}

/** Maps a warehouse or driver error to a protocol code; `undefined` for unknown errors. */
export interface ErrorClassifier {
  classify(err: unknown): Problem | undefined;
  /** A constraint rejected a row (a duplicate key, a NULL where none may be). */
  isIntegrityViolation(err: unknown): boolean;
}

/** Resolves when the warehouse can take a load; throws a 503 problem saying why not. */
export interface AvailabilityProbe {
  check(signal: AbortSignal): Promise<void>;
}
