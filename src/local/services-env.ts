import { resolve } from 'node:path';
import { list } from '../../services/kit/config/index.js';

/** The environment of the three services in a local stack. */
export interface ServicesEnvOptions {
  readonly base: NodeJS.ProcessEnv;
  readonly token: string;
  readonly s3Endpoint: string;
  /** Warehouse name → URL (`duckdb:/path` or `postgres://...`). */
  readonly warehouses: Readonly<Record<string, string>>;
  readonly workDir: string;
}

export function servicesEnv(options: ServicesEnvOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...options.base,
    DAGWRIGHT_TOKENS: `airflow:${options.token}`,
    DAGWRIGHT_S3_ENDPOINT: options.s3Endpoint,
    DAGWRIGHT_DQ_WORK_DIR: options.workDir,
    DAGWRIGHT_LOG_LEVEL: options.base.DAGWRIGHT_LOG_LEVEL ?? 'info',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  for (const name of Object.keys(env)) if (name.startsWith('DAGWRIGHT_WAREHOUSE_')) delete env[name];
  delete env.DAGWRIGHT_TOKEN;
  delete env.DAGWRIGHT_TOKENS_FILE;
  delete env.DAGWRIGHT_STATE;
  for (const [name, url] of Object.entries(options.warehouses)) env[`DAGWRIGHT_WAREHOUSE_${name.toUpperCase()}`] = url;
  // Paths given relative to where `up` ran: `local restart`, run from anywhere, must find the same files.
  if (env.DAGWRIGHT_SCOPES_FILE) env.DAGWRIGHT_SCOPES_FILE = resolve(env.DAGWRIGHT_SCOPES_FILE);
  // The roots read as the dq service reads them (kit/config's list), each made absolute.
  if (env.DAGWRIGHT_DQ_LOCAL_ROOTS) env.DAGWRIGHT_DQ_LOCAL_ROOTS = list(env, 'DAGWRIGHT_DQ_LOCAL_ROOTS', ':').map((root) => resolve(root)).join(':');
  return env;
}
