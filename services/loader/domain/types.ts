import type { BatchManifestRef } from '../../../src/contract/index.js';
/** The loader's domain types: what a load asks for and what it answers. */
import type { DataFormat, LoadMode } from '../../../src/contract/index.js';

export type { LoadMode };
export type BatchFormat = DataFormat;
export type Compression = 'none' | 'gzip';

/** A table, as `schema.name` or a bare `name` (the target's default schema). */
export interface TableRef {
  readonly schema: string | undefined;
  readonly name: string;
}

/** One S3 object of a batch. */
export interface BatchObject {
  readonly bucket: string;
  readonly key: string;
  /** Bytes; read with HEAD when the batch did not say. */
  readonly size: number | undefined;
  readonly etag: string | undefined;
}

export interface CsvOptions {
  readonly delimiter: string;
  readonly header: boolean;
  /** The text that stands for NULL (an empty unquoted field by default). */
  readonly null: string;
}

export interface LoadOptions {
  /** Add batch columns the table lacks, as nullable columns, instead of failing. */
  readonly allow_new_columns: boolean;
  readonly compression: Compression | 'auto';
  readonly csv: CsvOptions;
  /** Batch columns in file order, for headerless CSV. */
  readonly columns: readonly string[] | undefined;
}

/** The body of `POST /v1/loads` (validated by its JSON Schema first). */
export interface LoadBody {
  readonly batch: BatchInput;
  /** The warehouse's configured name. `warehouse` is the same field (the Airflow operator sends it). */
  readonly target?: string;
  readonly warehouse?: string;
  readonly table: string;
  readonly mode: LoadMode;
  readonly keys?: readonly string[];
  readonly order_by?: string;
  readonly format?: BatchFormat;
  readonly options?: {
    readonly allow_new_columns?: boolean;
    readonly compression?: Compression | 'auto';
    readonly columns?: readonly string[];
    readonly csv?: { readonly delimiter?: string; readonly header?: boolean; readonly null?: string };
  };
}

/** A validated load request: the job's input. */
export interface LoadInput {
  /** The Idempotency-Key: the load ledger's key. */
  readonly key: string;
  readonly target: string;
  readonly table: TableRef;
  readonly mode: LoadMode;
  readonly keys: readonly string[];
  readonly order_by: string | undefined;
  readonly format: BatchFormat;
  readonly objects: readonly BatchObject[];
  readonly options: LoadOptions;
  /** SHA-256 of what the load does (table, mode, keys, objects): a key reused for other work conflicts. */
  readonly fingerprint: string;
}

/**
 * A load whose batch is a manifest (src/contract/batch.ts): the job's input until the job reads
 * the manifest, and the checks on objects (empty, format, duplicates, fingerprint) run then.
 */
export interface ManifestLoad extends Omit<LoadInput, 'objects' | 'format' | 'fingerprint'> {
  readonly manifest: BatchManifestRef;
  /** The bucket of lines that name none: the batch's `source`. */
  readonly bucket: string | undefined;
  readonly format: BatchFormat | undefined;
}

/** The job's result (docs/service-protocol.md, `POST /v1/loads`). */
export interface LoadResult {
  readonly rows_loaded: number;
  readonly rows_inserted: number;
  readonly rows_updated: number;
  readonly rows_deleted: number;
  readonly bytes: number;
  readonly duration_ms: number;
  readonly objects: number;
  readonly table: string;
  readonly mode: LoadMode;
  /** True when the ledger already held this key: nothing was loaded again. */
  readonly replayed: boolean;
  readonly committed_at: string;
}

/**
 * Families of column types. Targets map their type names to a family; the
 * drift check compares families, never names.
 */
export type TypeFamily =
  | 'boolean'
  | 'integer'
  | 'decimal'
  | 'float'
  | 'date'
  | 'timestamp'
  | 'time'
  | 'uuid'
  | 'json'
  | 'binary'
  | 'text'
  | 'other';

/** A column of the target table, as its introspector reads it. */
export interface TableColumn {
  readonly name: string;
  /** The type as the warehouse spells it (`numeric(12,2)`), used verbatim in staging DDL. */
  readonly type: string;
  readonly family: TypeFamily;
  readonly nullable: boolean;
  readonly hasDefault: boolean;
}

/** A column of the batch: the target families its values fit (text always does, for CSV). */
export interface BatchColumn {
  readonly name: string;
  readonly fits: ReadonlySet<TypeFamily>;
  /** The family to create the column with when it is new. */
  readonly preferred: TypeFamily;
  /** Where the type came from, for messages: `parquet BIGINT`, `csv sample`, … */
  readonly evidence: string;
}

export interface BatchSchema {
  readonly columns: readonly BatchColumn[];
}

/** An object as a request names it: an `s3://bucket/key` URI, or `{key}` under the batch's `source`. */
export type ObjectRef = string | { readonly key: string; readonly bucket?: string; readonly size?: number; readonly etag?: string };

/**
 * The `batch` of a load: a bookmarks run result (`{source, batch: {objects}}`), `{source?, objects}`,
 * or a large batch's manifest reference `{manifest, source?, count?, total_bytes?}`.
 */
export interface BatchInput {
  readonly source?: string;
  readonly objects?: readonly ObjectRef[];
  readonly batch?: { readonly objects?: readonly ObjectRef[]; readonly total_bytes?: number };
  readonly manifest?: string;
  readonly count?: number;
  readonly sha256?: string;
  readonly [extra: string]: unknown;
}
