/** An embedded DuckDB warehouse: a file (or `:memory:`), for the demo and for users without a warehouse. */
export interface DuckdbConfig {
  readonly type: 'duckdb';
  readonly path: string;
  /** Schema of tables named without one; `main` by default. */
  readonly schema?: string;
  /** The load ledger, `schema.table`; `main.dagwright_load_ledger` by default. */
  readonly ledger?: string;
  readonly memory_limit?: string;
  readonly threads?: number;
}

/** The slice of `@duckdb/node-api` the DuckDB parts use. */
export interface DuckdbConnectionLike {
  run(sql: string): Promise<{ readonly rowsChanged: number }>;
  runAndReadAll(sql: string): Promise<{ getRowObjects(): ReadonlyArray<Record<string, unknown>> }>;
  interrupt(): void;
  closeSync(): void;
}

export interface DuckdbInstanceLike {
  connect(): Promise<DuckdbConnectionLike>;
  closeSync(): void;
}
