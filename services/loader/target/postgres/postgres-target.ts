import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { isTableRef, parseTableRef } from '../../domain/identifiers.js';
import type { TableRef } from '../../domain/types.js';
import type { ParquetTools } from '../../source/parquet.js';
import type { WarehouseTarget } from '../target.js';
import { postgresAdapter } from './postgres-adapter.js';
import { QueryAvailability } from './postgres-availability.js';
import { PostgresCompiler } from './postgres-compiler.js';
import type { CopyFrom, PgPoolLike, PostgresConfig } from './postgres-config.js';
import { PostgresDriver, type PostgresTransaction } from './postgres-driver.js';
import { postgresErrors } from './postgres-errors.js';
import { PostgresIntrospector } from './postgres-introspector.js';
import { PostgresStager } from './postgres-stager.js';

export interface PostgresTargetDeps {
  readonly parquet: ParquetTools;
  /** A pool (tests pass their own); by default one is made from the config. */
  readonly pool?: PgPoolLike;
  readonly copyFrom?: CopyFrom;
}

export const DEFAULT_SESSION: Readonly<Record<string, string>> = { work_mem: '256MB', temp_buffers: '256MB' };

/** The PostgreSQL target: assembles the parts, nothing else. */
export function createPostgresTarget(name: string, config: PostgresConfig, deps: PostgresTargetDeps): WarehouseTarget<PostgresTransaction> {
  const pool = deps.pool ?? openPool(config);
  const driver = new PostgresDriver(pool);
  const adapter = () => postgresAdapter(driver.serverVersionNum);
  const compiler = new PostgresCompiler(adapter);
  const defaultSchema = config.schema ?? 'public';
  const query = (sql: string) => driver.query(sql);
  return {
    name,
    kind: 'postgres',
    get adapter() {
      return adapter();
    },
    compiler,
    driver,
    introspector: new PostgresIntrospector(query, defaultSchema),
    stager: new PostgresStager(compiler, deps.copyFrom ?? (copyFrom as CopyFrom), deps.parquet),
    errors: postgresErrors,
    availability: new QueryAvailability(query, postgresErrors),
    defaultSchema,
    ledger: ledgerRef(config.ledger, 'public'),
    close: () => driver.close(),
  };
}

function openPool(config: PostgresConfig): PgPoolLike {
  const session = { ...DEFAULT_SESSION, ...config.session };
  const url = config.url.reveal();
  const pool = new pg.Pool({
    connectionString: url,
    max: config.max_connections ?? 4,
    connectionTimeoutMillis: config.connect_timeout_ms ?? 5000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: applicationName(url),
    options: Object.entries(session)
      .map(([k, v]) => `-c ${k}=${v}`)
      .join(' '),
  });
  // An idle client whose server went away must not crash the process.
  pool.on('error', () => undefined);
  return pool as unknown as PgPoolLike;
}

/** The ledger's table from config (`schema.table`), else `<schema>.dagwright_load_ledger`. */
export function ledgerRef(text: string | undefined, schema: string): TableRef {
  const parsed = text ? parseTableRef(text, '/ledger') : undefined;
  if (parsed && !isTableRef(parsed)) throw new Error(`ledger: ${parsed.message}`);
  return parsed ? { schema: parsed.schema ?? schema, name: parsed.name } : { schema, name: 'dagwright_load_ledger' };
}

/** `dagwright-loader`, unless the URL names itself (`?application_name=`). */
export function applicationName(url: string): string {
  try {
    return new URL(url).searchParams.get('application_name') ?? 'dagwright-loader';
  } catch {
    return 'dagwright-loader';
  }
}
