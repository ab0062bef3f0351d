import { RedshiftClient } from '@aws-sdk/client-redshift';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import pg from 'pg';
import type { PgPoolLike } from '../postgres/postgres-config.js';
import { PostgresDriver } from '../postgres/postgres-driver.js';
import { QueryAvailability } from '../postgres/postgres-availability.js';
import { applicationName, ledgerRef } from '../postgres/postgres-target.js';
import type { AvailabilityProbe, Driver, Introspector, WarehouseTarget } from '../target.js';
import { redshiftAdapter } from './redshift-adapter.js';
import { RedshiftAvailability } from './redshift-availability.js';
import { RedshiftCompiler } from './redshift-compiler.js';
import type { RedshiftConfig, SendClient } from './redshift-config.js';
import { RedshiftDataDriver, type DataApiTarget } from './redshift-driver.js';
import { loadErrorReport, redshiftErrors } from './redshift-errors.js';
import { DataApiIntrospector, WireIntrospector } from './redshift-introspector.js';
import { RedshiftStager, type RedshiftStageOptions } from './redshift-stager.js';

export interface RedshiftTargetDeps {
  /** AWS clients (tests pass aws-sdk-client-mock'ed ones); made from the config's region otherwise. */
  readonly data?: SendClient;
  readonly redshift?: SendClient;
  readonly serverless?: SendClient;
  /** Wire protocol: a pool (tests pass fakes). */
  readonly pool?: PgPoolLike;
}

/**
 * The Redshift target: the PostgreSQL compiler with Redshift's overrides, and
 * either the Data API driver or the PostgreSQL driver (wire protocol). The
 * assembly differs by configured API; the load algorithm does not.
 */
export function createRedshiftTarget(name: string, config: RedshiftConfig, deps: RedshiftTargetDeps = {}): WarehouseTarget {
  const compiler = new RedshiftCompiler(() => redshiftAdapter);
  const defaultSchema = config.schema ?? 'public';
  const view = config.load_errors_view ?? 'sys';
  const region = config.region ? { region: config.region } : {};
  let driver: Driver;
  let introspector: Introspector;
  let availability: AvailabilityProbe;
  let loadErrors: RedshiftStageOptions['loadErrors'];
  const where = { ...(config.cluster_identifier ? { cluster: config.cluster_identifier } : {}), ...(config.workgroup_name ? { workgroup: config.workgroup_name } : {}) };
  const statusClients = () => ({ redshift: deps.redshift ?? new RedshiftClient(region), serverless: deps.serverless ?? new RedshiftServerlessClient(region) });
  if (config.api === 'data') {
    const client = deps.data ?? new RedshiftDataClient(region);
    const target: DataApiTarget = {
      ...(config.cluster_identifier ? { ClusterIdentifier: config.cluster_identifier } : {}),
      ...(config.workgroup_name ? { WorkgroupName: config.workgroup_name } : {}),
      Database: config.database,
      ...(config.db_user ? { DbUser: config.db_user } : {}),
      ...(config.secret_arn ? { SecretArn: config.secret_arn } : {}),
    };
    const data: RedshiftDataDriver = new RedshiftDataDriver({
      client,
      target,
      pollIntervalMs: config.poll_interval_ms ?? 500,
      loadErrors: async (queryId, error) => {
        const rows = queryId === undefined ? [] : await data.query(compiler.loadErrors(view, { queryId })).catch(() => []);
        return loadErrorReport(rows, error);
      },
    });
    driver = data;
    introspector = new DataApiIntrospector(client, target, defaultSchema);
    availability = new RedshiftAvailability(where, statusClients());
  } else {
    if (!config.url) throw new Error(`warehouse ${name}: a Redshift wire-protocol warehouse needs url`);
    const pool = deps.pool ?? openPool(config.url.reveal());
    const wire = new PostgresDriver(pool, { detectVersion: false });
    const query = (sql: string) => wire.query(sql);
    driver = wire;
    introspector = new WireIntrospector(query, compiler, defaultSchema);
    availability = where.cluster || where.workgroup ? new RedshiftAvailability(where, statusClients()) : new QueryAvailability(query, redshiftErrors);
    loadErrors = async (files, since, err) => {
      const rows = await wire.query(compiler.loadErrors(view, { files, since })).catch(() => []);
      return loadErrorReport(rows, err instanceof Error ? err.message : String(err));
    };
  }
  return {
    name,
    kind: 'redshift',
    adapter: redshiftAdapter,
    compiler,
    driver,
    introspector,
    stager: new RedshiftStager(compiler, { iamRole: config.iam_role, manifestPrefix: config.manifest_prefix, ...(loadErrors ? { loadErrors } : {}) }),
    errors: redshiftErrors,
    availability,
    defaultSchema,
    ledger: ledgerRef(config.ledger, defaultSchema),
    close: () => driver.close(),
  };
}

function openPool(url: string): PgPoolLike {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000, keepAlive: true, application_name: applicationName(url) });
  pool.on('error', () => undefined);
  return pool as unknown as PgPoolLike;
}
