import { readFileSync } from 'node:fs';
import { WAREHOUSE_NAME_PATTERN } from '../../../src/contract/index.js';
import { compileSchema } from '../../kit/validation.js';
import type { DuckdbConfig } from '../target/duckdb/duckdb-config.js';
import type { PostgresConfig } from '../target/postgres/postgres-config.js';
import type { RedshiftConfig } from '../target/redshift/redshift-config.js';
import { Secret } from './secret.js';
import { warehouseFileSchema } from './warehouses-schema.js';

export type WarehouseConfig = PostgresConfig | DuckdbConfig | RedshiftConfig;
export type WarehouseConfigs = ReadonlyMap<string, WarehouseConfig>;

export const ENV_PREFIX = 'DAGWRIGHT_WAREHOUSE_';
export const SECRETS_ENV = 'DAGWRIGHT_LOADER_SECRETS';
const NAME = new RegExp(WAREHOUSE_NAME_PATTERN);

export interface ConfigSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A JSON file `{"warehouses": {name: {...}}}`; default: `$DAGWRIGHT_LOADER_SECRETS`. */
  readonly secretsFile?: string;
  /** Where the `default` DuckDB warehouse lives when nothing else is named `default`. */
  readonly defaultDuckdbPath: string;
}

/**
 * Warehouses from the secrets file, then from `DAGWRIGHT_WAREHOUSE_<NAME>`
 * URLs (which win), plus the embedded DuckDB `default`. Errors name the
 * variable or field, never a value: the values are credentials.
 */
export function loadWarehouses(sources: ConfigSources): Map<string, WarehouseConfig> {
  const out = new Map<string, WarehouseConfig>();
  const file = sources.secretsFile ?? sources.env[SECRETS_ENV];
  if (file) for (const [name, config] of readSecretsFile(file)) out.set(name, config);
  for (const [variable, value] of Object.entries(sources.env)) {
    if (!variable.startsWith(ENV_PREFIX) || !value) continue;
    const name = variable.slice(ENV_PREFIX.length).toLowerCase();
    if (!NAME.test(name)) throw new Error(`${variable}: the warehouse name must match ${NAME.source}`);
    out.set(name, fromUrl(value, variable));
  }
  if (!out.has('default')) out.set('default', { type: 'duckdb', path: sources.defaultDuckdbPath });
  return out;
}

function readSecretsFile(path: string): Array<[string, WarehouseConfig]> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${SECRETS_ENV} file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'not valid JSON'}`);
  }
  const validate = compileSchema(warehouseFileSchema);
  if (!validate(doc)) {
    const where = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
    throw new Error(`${path}: ${where}`);
  }
  const entries = Object.entries((doc as { warehouses: Record<string, Record<string, unknown>> }).warehouses);
  return entries.map(([name, raw]) => {
    if (!NAME.test(name)) throw new Error(`${path}: warehouse name ${JSON.stringify(name)} must match ${NAME.source}`);
    if (typeof raw.url === 'string') return [name, { ...raw, url: new Secret(raw.url) } as unknown as WarehouseConfig];
    return [name, raw as unknown as WarehouseConfig];
  });
}

/**
 * `postgres://…`, `duckdb:<path>`, `redshift://user:pw@host:5439/db?…` (wire
 * protocol), `redshift+data://<cluster>/<db>?…`, `redshift+serverless://<workgroup>/<db>?…`.
 * Our own parameters (`schema`, `ledger`, `iam_role`, `manifest`, `db_user`,
 * `secret_arn`, `region`, `load_errors`) are taken out of the URL.
 */
export function fromUrl(text: string, where: string): WarehouseConfig {
  if (text.startsWith('duckdb:')) return { type: 'duckdb', path: text.slice('duckdb:'.length).replace(/^\/\//, '') || ':memory:' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${where}: not a URL (postgres://, duckdb:, redshift://, redshift+data://, redshift+serverless://)`);
  }
  const take = (key: string) => {
    const v = url.searchParams.get(key) ?? undefined;
    url.searchParams.delete(key);
    return v;
  };
  const common = { ...opt('schema', take('schema')), ...opt('ledger', take('ledger')) };
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme === 'postgres' || scheme === 'postgresql') return { type: 'postgres', url: new Secret(url.toString()), ...common };
  if (!scheme.startsWith('redshift')) throw new Error(`${where}: unknown scheme ${scheme}`);
  const iam = take('iam_role');
  const manifest = take('manifest');
  if (!iam || !manifest) throw new Error(`${where}: a Redshift URL needs iam_role= and manifest=s3://bucket/prefix/`);
  const errorsView = take('load_errors');
  const rs = { iam_role: iam, manifest_prefix: manifest, ...common, ...opt('region', take('region')), ...(errorsView === 'stl' ? { load_errors_view: 'stl' as const } : {}) };
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'dev';
  if (scheme === 'redshift') {
    url.protocol = 'postgres:';
    return { type: 'redshift', api: 'pg', database, url: new Secret(url.toString()), ...rs };
  }
  const auth = { ...opt('db_user', take('db_user')), ...opt('secret_arn', take('secret_arn')) };
  if (scheme === 'redshift+data') return { type: 'redshift', api: 'data', cluster_identifier: url.hostname, database, ...auth, ...rs };
  if (scheme === 'redshift+serverless') return { type: 'redshift', api: 'data', workgroup_name: url.hostname, database, ...auth, ...rs };
  throw new Error(`${where}: unknown scheme ${scheme}`);
}

function opt<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
