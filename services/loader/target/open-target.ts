import type { WarehouseConfig } from '../config/warehouses.js';
import type { ParquetTools } from '../source/parquet.js';
import { createDuckdbTarget } from './duckdb/duckdb-target.js';
import { createPostgresTarget, type PostgresTargetDeps } from './postgres/postgres-target.js';
import { createRedshiftTarget, type RedshiftTargetDeps } from './redshift/redshift-target.js';
import type { WarehouseTarget } from './target.js';

export interface TargetDeps {
  readonly parquet: ParquetTools;
  readonly tempDir: string;
  /** Per-warehouse overrides (tests): pools, AWS clients. */
  readonly postgres?: Omit<PostgresTargetDeps, 'parquet'>;
  readonly redshift?: RedshiftTargetDeps;
}

/** The one place that looks at a warehouse's type: it picks the folder whose parts to assemble. */
export function openTarget(name: string, config: WarehouseConfig, deps: TargetDeps): WarehouseTarget {
  switch (config.type) {
    case 'postgres':
      return createPostgresTarget(name, config, { parquet: deps.parquet, ...deps.postgres }) as unknown as WarehouseTarget;
    case 'duckdb':
      return createDuckdbTarget(name, config, { tempDir: deps.tempDir }) as unknown as WarehouseTarget;
    case 'redshift':
      return createRedshiftTarget(name, config, deps.redshift);
  }
}
