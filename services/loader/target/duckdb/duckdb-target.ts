import { DuckDBInstance } from '@duckdb/node-api';
import { ledgerRef } from '../postgres/postgres-target.js';
import type { WarehouseTarget } from '../target.js';
import { duckdbAdapter } from './duckdb-adapter.js';
import { DuckdbAvailability } from './duckdb-availability.js';
import { DuckdbCompiler } from './duckdb-compiler.js';
import type { DuckdbConfig, DuckdbInstanceLike } from './duckdb-config.js';
import { DuckdbDriver, type DuckdbTransaction } from './duckdb-driver.js';
import { duckdbErrors } from './duckdb-errors.js';
import { DuckdbIntrospector } from './duckdb-introspector.js';
import { DuckdbStager } from './duckdb-stager.js';

/** The embedded DuckDB target: assembles the parts, nothing else. */
export function createDuckdbTarget(name: string, config: DuckdbConfig, deps: { readonly tempDir: string }): WarehouseTarget<DuckdbTransaction> {
  const open = async (): Promise<DuckdbInstanceLike> =>
    DuckDBInstance.create(config.path, {
      memory_limit: config.memory_limit ?? '1GB',
      threads: String(config.threads ?? 2),
      temp_directory: deps.tempDir,
    });
  const driver = new DuckdbDriver(open);
  const compiler = new DuckdbCompiler(() => duckdbAdapter);
  const defaultSchema = config.schema ?? 'main';
  const query = (sql: string) => driver.query(sql);
  return {
    name,
    kind: 'duckdb',
    adapter: duckdbAdapter,
    compiler,
    driver,
    introspector: new DuckdbIntrospector(query, defaultSchema),
    stager: new DuckdbStager(compiler),
    errors: duckdbErrors,
    availability: new DuckdbAvailability(query, duckdbErrors),
    defaultSchema,
    ledger: ledgerRef(config.ledger, defaultSchema),
    close: () => driver.close(),
  };
}
