/**
 * `dagwright local up`: generates the DAGs, installs the operators as MWAA does (plugins.zip
 * unzipped into the plugins folder), and starts moto, (PostgreSQL,) the three services and
 * Airflow's components from the pinned venv; it returns once every part reports healthy.
 */
import { randomBytes } from 'node:crypto';
import { withoutCredentials } from './redact.js';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './repo-root.js';
import { staleBuild } from './build-freshness.js';
import type { PipelineModel } from '../model/types.js';
import { AirflowApi } from './airflow-api.js';
import { failOnImportError } from './run.js';
import { airflowComponents, airflowEnv, webserverConfig } from './airflow-env.js';
import { localAirflow, metadataBackend } from './airflow-version.js';
import { runCommand } from './commands.js';
import { installOperators } from './install-operators.js';
import { stackNeeds, type StackNeeds } from './needs.js';
import { freePort, isAlive, startProcess, waitFor, type ProcessRecord } from './processes.js';
import { createDatabase, seedTopics } from './seed.js';
import { servicesEnv } from './services-env.js';
import { pipelineTasks, readStack, stackPaths, writeStack, type StackState } from './stack-state.js';

export { REPO_ROOT };

export interface UpOptions {
  readonly stateDir: string;
  readonly airflow: string;
  /** `sqlite` (embedded, the default) or `postgres`: the services' bookmarks and job state. */
  readonly state: 'sqlite' | 'postgres';
  /** `duckdb` (an embedded file per warehouse, the default) or `postgres`. */
  readonly warehouse: 'duckdb' | 'postgres';
  /** Warehouse name → a URL the loader uses for it, whatever `warehouse` says. */
  readonly warehouseUrls: ReadonlyMap<string, string>;
  /** An existing PostgreSQL server to use instead of starting one (tests pass theirs). */
  readonly postgresUrl: string | undefined;
  readonly dagsFolder: string;
  readonly models: readonly PipelineModel[];
  /** Slots of each pool, by name; pools the specs name without slots here get DEFAULT_POOL_SLOTS. */
  readonly poolSlots: ReadonlyMap<string, number>;
  /** Extra environment for the operators (e.g. DAGWRIGHT_RETRY_DELAY_SCALE). */
  readonly operatorSettings: NodeJS.ProcessEnv;
  /**
   * The scheduler runs the pipelines on its own, as on MWAA: time schedules (catchup as each
   * spec says) and asset updates. Every DAG of the stack is unpaused once parsed. Without it,
   * nothing runs unless `local run` triggers it.
   */
  readonly schedule: boolean;
  readonly progress: (line: string) => void;
}

export const DEFAULT_POOL_SLOTS = 4;

/** `up` refused because a stack already runs there: nothing was started, nothing is to stop. */
export class StackRunningError extends Error {
  override readonly name = 'StackRunningError';
}
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};

export async function up(options: UpOptions): Promise<StackState> {
  const paths = stackPaths(options.stateDir);
  const previous = readStack(options.stateDir);
  if (previous && previous.processes.some((p) => isAlive(p.pid))) {
    throw new StackRunningError(`a local stack is already running from ${paths.root}: run \`dagwright local down\` first`);
  }
  const servicesEntry = join(REPO_ROOT, 'dist', 'services', 'main.js');
  if (!existsSync(servicesEntry)) throw new Error(`the services are not built (${servicesEntry} is missing): run \`npm run build\` first`);
  const stale = await staleBuild(REPO_ROOT);
  if (stale !== undefined) throw new Error(`the services' build is stale: ${stale}; run \`npm run build\` first, so the stack runs the code you have`);
  const say = options.progress;
  const airflow = localAirflow(REPO_ROOT, options.airflow);
  const needs = stackNeeds(options.models);
  // A fresh stack every time: nothing of an earlier one (runs, bookmarks, rows) carries over.
  // Only the stack's own folders: the DAGs folder may live in the same directory.
  for (const dir of [paths.logs, paths.airflowHome, paths.services, paths.run, paths.warehouse]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  const started: ProcessRecord[] = [];
  // No credential, profile or endpoint of the caller's reaches the stack: it talks to moto only.
  const base: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  Object.assign(base, AWS_ENV);
  const state: { -readonly [K in keyof StackState]: StackState[K] } = {
    version: 1,
    startedAt: new Date().toISOString(),
    airflow: { version: airflow.target.version, exact: airflow.exact, major: airflow.target.major, venv: '', url: '', home: paths.airflowHome, metadata: '' },
    dagsFolder: resolve(options.dagsFolder),
    s3Endpoint: '',
    serviceToken: randomBytes(24).toString('hex'),
    services: { bookmarks: '', dq: '', loader: '' },
    serviceState: paths.services,
    warehouse: { kind: options.warehouse, urls: {} },
    postgres: undefined,
    moto: { runtime: join(paths.run, 'moto') },
    processes: started,
    pipelines: pipelineTasks(options.models),
  };
  const save = (): void => writeStack(options.stateDir, { ...state, processes: [...started] });

  say(`Airflow ${airflow.exact}: the pinned venv (${airflow.lock}; the first build takes 2-4 minutes)`);
  const venv = await runCommand('bash', [join(REPO_ROOT, 'scripts', 'venv.sh'), airflow.lock], { onLine: (line) => say(`  ${line.replace(/^\[[\d:]+\] /, '')}`) });
  state.airflow = { ...state.airflow, venv };

  say('moto (S3, SNS) on loopback');
  const motoPort = await freePort();
  state.s3Endpoint = await runCommand('bash', [join(REPO_ROOT, 'scripts', 'moto.sh'), 'start'], {
    env: { ...base, DAGWRIGHT_RUNTIME: state.moto.runtime, DAGWRIGHT_MOTO_PORT: String(motoPort) },
    log: join(paths.logs, 'moto-start.log'),
  });
  save();
  await seedTopics(state.s3Endpoint, needs.snsTopics, say);

  const needPostgres = options.state === 'postgres' || options.warehouse === 'postgres' || metadataBackend(airflow.target) === 'postgres';
  let postgresUrl = options.postgresUrl;
  if (needPostgres && postgresUrl === undefined) {
    say('PostgreSQL (Debian packages) on loopback');
    const runtime = join(paths.run, 'postgres');
    postgresUrl = await runCommand('bash', [join(REPO_ROOT, 'scripts', 'postgres.sh'), 'start'], {
      env: { ...base, DAGWRIGHT_RUNTIME: runtime, DAGWRIGHT_PG_PORT: String(await freePort()) },
      log: join(paths.logs, 'postgres-start.log'),
    });
    state.postgres = { url: postgresUrl, runtime };
    save();
  }
  // On a server of the caller's (--postgres-url), each stack makes databases of its own name:
  // nothing of anyone else's is ever dropped.
  const suffix = options.postgresUrl === undefined ? '' : `_${state.serviceToken.slice(0, 8)}`;
  const database = async (name: string): Promise<string> => createDatabase(postgresUrl as string, `${name}${suffix}`);

  // The services: embedded state and a DuckDB file per warehouse, unless told otherwise. Each
  // file sits in a folder named after its warehouse: DuckDB names a file's catalog after the
  // file, and a catalog named like a schema (`analytics.orders`) makes table names ambiguous.
  const warehouseUrls: Record<string, string> = {};
  for (const name of needs.warehouses.length > 0 ? needs.warehouses : ['default']) {
    const given = options.warehouseUrls.get(name);
    if (given !== undefined) {
      warehouseUrls[name] = given;
      continue;
    }
    if (options.warehouse === 'duckdb') mkdirSync(join(paths.warehouse, name), { recursive: true });
    warehouseUrls[name] = options.warehouse === 'postgres' ? await database('dagwright_warehouse') : `duckdb:${join(paths.warehouse, name, 'warehouse.duckdb')}`;
  }
  state.warehouse = { kind: options.warehouse, urls: warehouseUrls };
  const serviceState = options.state === 'postgres' ? await database('dagwright_state') : undefined;
  if (serviceState !== undefined) state.serviceState = serviceState;
  const svcEnv = servicesEnv({ base, token: state.serviceToken, s3Endpoint: state.s3Endpoint, warehouses: warehouseUrls, workDir: join(paths.services, 'dq-work') });
  const servicePorts = { bookmarks: await freePort(), dq: await freePort(), loader: await freePort() };
  for (const service of ['bookmarks', 'dq', 'loader'] as const) {
    const port = servicePorts[service];
    started.push(
      startProcess({
        name: service,
        command: process.execPath,
        args: [join(REPO_ROOT, 'dist', 'services', 'main.js'), service, '--host', '127.0.0.1', '--port', String(port), '--state', serviceState ?? join(paths.services, `${service}.sqlite`)],
        env: svcEnv,
        log: join(paths.logs, `${service}.log`),
      }),
    );
    state.services = { ...state.services, [service]: `http://127.0.0.1:${port}` };
  }
  save();
  say(`services: bookmarks :${servicePorts.bookmarks}, dq :${servicePorts.dq}, loader :${servicePorts.loader}`);

  // Airflow: operators installed as MWAA installs them, metadata migrated, pools created.
  say('operators: plugins.zip unzipped into the plugins folder, as MWAA does');
  await installOperators({ venv, pluginsFolder: paths.plugins, workDir: paths.run });
  const metadata = metadataBackend(airflow.target) === 'sqlite' ? `sqlite:///${join(paths.airflowHome, 'airflow.db')}` : (await database('dagwright_airflow')).replace(/^postgres(ql)?:\/\//, 'postgresql+psycopg2://');
  const apiPort = await freePort();
  const env = airflowEnv({
    target: airflow.target,
    exact: airflow.exact,
    venv,
    home: paths.airflowHome,
    dagsFolder: state.dagsFolder,
    pluginsFolder: paths.plugins,
    metadataUrl: metadata,
    apiPort,
    logServerPorts: [await freePort(), await freePort()],
    secret: randomBytes(32).toString('base64url') + '=',
    connections: airflowConnections(needs, state),
    aws: AWS_ENV,
    operatorSettings: options.operatorSettings,
    schedule: options.schedule,
    base,
  });
  state.airflow = { ...state.airflow, url: `http://127.0.0.1:${apiPort}`, metadata: withoutCredentials(metadata) };
  writeFileSync(join(paths.airflowHome, 'airflow.env.json'), JSON.stringify(env, null, 2), { mode: 0o600 });
  const flaskConfig = webserverConfig(airflow.target);
  if (flaskConfig !== undefined) writeFileSync(join(paths.airflowHome, 'webserver_config.py'), flaskConfig);
  say('airflow db migrate');
  await runCommand(join(venv, 'bin', 'airflow'), ['db', 'migrate'], { env, log: join(paths.logs, 'db-migrate.log') });
  await createPools(venv, env, needs, options, paths.run, join(paths.logs, 'pools.log'), say);
  for (const component of airflowComponents(airflow.target)) {
    started.push(startProcess({ name: component.name, command: join(venv, 'bin', 'airflow'), args: component.args, env, log: join(paths.logs, `${component.name}.log`) }));
  }
  save();

  say('waiting for every component to report healthy');
  await waitForServices(state, started);
  const api = new AirflowApi(state.airflow.url, airflow.target.major);
  let last: Record<string, boolean> = {};
  await waitFor(
    'Airflow',
    async () => {
      assertRunning(started);
      try {
        last = await api.health();
      } catch {
        return false;
      }
      return Object.values(last).every(Boolean);
    },
    240_000,
    1000,
  ).catch((error: Error) => {
    throw new Error(`${error.message} (${Object.entries(last).map(([k, v]) => `${k}: ${v ? 'healthy' : 'not yet'}`).join(', ')}); logs in ${paths.logs}`);
  });
  if (options.schedule) await unpauseAll(api, options.models, started, say);
  save();
  return { ...state, processes: [...started] };
}

/**
 * `--schedule`: every DAG unpaused once the DAG processor has stored them all (a DAG that
 * fails to import ends the wait with its error), so the scheduler runs them. The DAGs
 * scheduled on assets go first: Airflow queues no run for a paused consumer, so a producer
 * unpaused before it could update an asset that nothing then runs on.
 */
async function unpauseAll(api: AirflowApi, models: readonly PipelineModel[], started: readonly ProcessRecord[], say: (line: string) => void): Promise<void> {
  for (const { dagId } of models) {
    await waitFor(
      `DAG ${dagId}`,
      async () => {
        assertRunning(started);
        return (await api.dagExists(dagId)) || (await failOnImportError(api, dagId));
      },
      240_000,
      1000,
    );
  }
  const onAssets = (m: PipelineModel) => Number(m.schedule.kind === 'assets' || m.schedule.kind === 'assets-or-time');
  const consumersFirst = [...models].sort((a, b) => onAssets(b) - onAssets(a));
  for (const { dagId } of consumersFirst) await api.unpause(dagId);
  say(`--schedule: unpaused ${consumersFirst.map((m) => m.dagId).join(', ')}; the scheduler runs their schedules and asset triggers`);
}


function airflowConnections(needs: StackNeeds, state: Pick<StackState, 'services' | 's3Endpoint' | 'serviceToken'>): Map<string, string> {
  const connections = new Map<string, string>();
  for (const [id, service] of needs.connections) {
    connections.set(id, JSON.stringify({ conn_type: 'http', host: state.services[service], password: state.serviceToken }));
  }
  // Every AWS connection the specs name is moto's, as aws_default is, in the region of what
  // the specs reach through it.
  for (const [id, region] of [['aws_default', 'us-east-1'] as const, ...needs.awsConnections]) {
    connections.set(id, JSON.stringify({ conn_type: 'aws', login: 'testing', password: 'testing', extra: { region_name: region ?? 'us-east-1', endpoint_url: state.s3Endpoint } }));
  }
  return connections;
}

async function createPools(venv: string, env: NodeJS.ProcessEnv, needs: StackNeeds, options: UpOptions, runDir: string, log: string, say: (line: string) => void): Promise<void> {
  const pools: Record<string, { slots: number; description: string; include_deferred: boolean }> = {};
  for (const [name, users] of needs.pools) {
    const slots = options.poolSlots.get(name);
    if (slots === undefined) say(`warning: pool "${name}" (named by ${users.join(', ')}) is not defined: created with ${DEFAULT_POOL_SLOTS} slots; set its size with --pool ${name}=N`);
    // include_deferred: a deferred task keeps its slot, so the pool bounds the jobs running
    // in the services, not only the tasks holding a worker.
    pools[name] = { slots: slots ?? DEFAULT_POOL_SLOTS, description: `dagwright: ${users.join(', ')}`, include_deferred: true };
  }
  for (const [name, slots] of options.poolSlots) pools[name] ??= { slots, description: 'dagwright local --pool', include_deferred: true };
  if (Object.keys(pools).length === 0) return;
  const file = join(runDir, 'pools.json');
  writeFileSync(file, JSON.stringify(pools, null, 2));
  say(`pools: ${Object.entries(pools).map(([name, p]) => `${name} (${p.slots} slot${p.slots === 1 ? '' : 's'}, deferred tasks count)`).join(', ')}`);
  await runCommand(join(venv, 'bin', 'airflow'), ['pools', 'import', file], { env, log });
}

async function waitForServices(state: Pick<StackState, 'services'>, processes: readonly ProcessRecord[]): Promise<void> {
  for (const [name, url] of Object.entries(state.services)) {
    await waitFor(
      name,
      async () => {
        assertRunning(processes);
        try {
          return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })).ok;
        } catch {
          return false;
        }
      },
      60_000,
    );
  }
}

function assertRunning(processes: readonly ProcessRecord[]): void {
  for (const p of processes) {
    if (!isAlive(p.pid)) throw new Error(`${p.name} exited during start; see ${p.log}`);
  }
}
