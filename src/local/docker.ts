/**
 * `dagwright local up --docker` / `local down --docker`: the same pipelines on the Compose stack
 * of docker-compose.yml (Airflow 3.0.6 as MWAA runs it, the services, moto, PostgreSQL as the
 * warehouse) instead of native processes.
 *
 * `up` writes what an MWAA environment reads from its S3 bucket into `<dir>/compose` (dags/,
 * plugins.zip from `buildPluginsZip()`, requirements/requirements.txt, startup/), fresh secrets
 * and the ports into `<dir>/compose.env`, runs `docker compose up -d --wait`, creates the pools
 * the specs name (REST, include_deferred) and their SNS topics in moto, and records the endpoints
 * in `<dir>/compose-stack.json`. `down` runs `docker compose down -v` for that project.
 *
 * The compose command is `$DAGWRIGHT_COMPOSE` (a compose binary) or `docker compose`; the files
 * are `$DAGWRIGHT_COMPOSE_FILES` (colon-separated, relative to the checkout) or docker-compose.yml;
 * the project name is `$DAGWRIGHT_COMPOSE_PROJECT` or `dagwright`. Ports come from
 * `DAGWRIGHT_PORT_*` (defaults as in docker-compose.yml).
 */
import { spawn } from 'node:child_process';
import { withoutCredentials } from './redact.js';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeDagFiles } from '../cli/commands/generate.js';
import { loadSpecs } from '../cli/load-specs.js';
import { buildPluginsZip } from '../deploy/artifacts.js';
import type { PipelineModel } from '../model/types.js';
import { AirflowApi } from './airflow-api.js';
import { stackNeeds, SERVICE_CONNECTIONS } from './needs.js';
import { waitFor } from './processes.js';
import { REPO_ROOT } from './repo-root.js';
import { seedTopics } from './seed.js';
import { pipelineTasks, type PipelineTask } from './stack-state.js';

/** The Airflow version of docker-compose.yml's image (python/requirements/airflow-3.0.6.lock). */
export const COMPOSE_AIRFLOW = '3.0';
/** The one warehouse the compose file's loader knows (DAGWRIGHT_WAREHOUSE_ANALYTICS). */
export const COMPOSE_WAREHOUSES = ['analytics'] as const;
/** Port variables of docker-compose.yml and their defaults. */
export const COMPOSE_PORTS = {
  DAGWRIGHT_PORT_AIRFLOW: 8080,
  DAGWRIGHT_PORT_POSTGRES: 5432,
  DAGWRIGHT_PORT_WAREHOUSE: 5439,
  DAGWRIGHT_PORT_MOTO: 5000,
  DAGWRIGHT_PORT_BOOKMARKS: 8081,
  DAGWRIGHT_PORT_DQ: 8082,
  DAGWRIGHT_PORT_LOADER: 8083,
  DAGWRIGHT_PORT_WORKER_LOGS: 8793,
  DAGWRIGHT_PORT_TRIGGER_LOGS: 8794,
} as const;

export interface DockerUpFlags {
  readonly output?: string;
  readonly airflow: string;
  readonly pool: readonly string[];
  readonly retryDelayScale?: string;
  readonly dir: string;
}

/** What `up --docker` records for `down --docker` and for tests (`<dir>/compose-stack.json`). */
export interface ComposeStack {
  readonly project: string;
  readonly command: readonly string[];
  readonly files: readonly string[];
  readonly envFile: string;
  readonly composeDir: string;
  readonly airflowUrl: string;
  readonly services: Readonly<Record<'bookmarks' | 'dq' | 'loader', string>>;
  readonly s3Endpoint: string;
  readonly warehouseUrl: string;
  /** The services' jobs and bookmarks (PostgreSQL in the `postgres` container, database `dagwright`). */
  readonly stateUrl: string;
  readonly serviceToken: string;
  /** The pipelines it runs, with what `local run` reports on for each task. */
  readonly pipelines: Readonly<Record<string, readonly PipelineTask[]>>;
}

type Say = (line: string) => void;

export function composeStackFile(dir: string): string {
  return join(resolve(dir), 'compose-stack.json');
}

export async function dockerUpCommand(specs: readonly string[], flags: DockerUpFlags, say: Say): Promise<number> {
  const pools = new Map<string, number>();
  for (const entry of flags.pool) {
    const match = /^([^=]+)=(\d+)$/.exec(entry);
    if (!match || Number(match[2]) < 1) return usage(`--pool ${entry}: write it as name=slots, slots at least 1`);
    pools.set(match[1] as string, Number(match[2]));
  }
  if (flags.retryDelayScale !== undefined && !(Number(flags.retryDelayScale) > 0 && Number(flags.retryDelayScale) <= 1)) return usage('--retry-delay-scale must be a number in (0, 1]');
  say(`Airflow 3.0.6, docker-compose.yml's image: the DAGs are generated for ${COMPOSE_AIRFLOW}${flags.airflow === COMPOSE_AIRFLOW ? '' : ` (--airflow ${flags.airflow} applies to the native stack only)`}`);

  const root = resolve(flags.dir);
  const composeDir = join(root, 'compose');
  rmSync(composeDir, { recursive: true, force: true });
  for (const sub of ['dags', 'requirements', 'startup']) mkdirSync(join(composeDir, sub), { recursive: true });
  const models: PipelineModel[] = [];
  if (specs.length > 0) {
    const { compiled, invalid, unreadable } = await loadSpecs(specs, { airflowVersion: COMPOSE_AIRFLOW });
    if (invalid > 0 || unreadable.length > 0) {
      for (const line of unreadable) process.stderr.write(`${line}\n`);
      process.stderr.write(`dagwright local up --docker: ${invalid + unreadable.length} spec(s) cannot run on Airflow ${COMPOSE_AIRFLOW}; nothing was started\n`);
      return 1;
    }
    const { written, conflicts } = writeDagFiles(compiled, { output: join(composeDir, 'dags') });
    if (conflicts > 0) return 1;
    say(`${written.length} DAG(s) written to ${join(composeDir, 'dags')}`);
    for (const spec of compiled) if (spec.model) models.push(spec.model);
  }
  const needs = stackNeeds(models);
  const unknownWarehouses = needs.warehouses.filter((w) => !(COMPOSE_WAREHOUSES as readonly string[]).includes(w));
  if (unknownWarehouses.length > 0) return usage(`the compose stack has one warehouse, ${COMPOSE_WAREHOUSES.join(', ')}; the specs name ${unknownWarehouses.join(', ')}`);
  const defaults = new Set<string>(Object.values(SERVICE_CONNECTIONS));
  const custom = [...needs.connections.keys()].filter((id) => !defaults.has(id));
  if (custom.length > 0) return usage(`the compose stack defines the connections ${[...defaults].join(', ')}; the specs also name ${custom.join(', ')}`);

  // MWAA's bucket layout: plugins.zip is unzipped by each container at start.
  writeFileSync(join(composeDir, 'plugins.zip'), await buildPluginsZip());
  writeFileSync(join(composeDir, 'requirements', 'requirements.txt'), '# dagwright local up --docker: the operators come from plugins.zip; nothing else is needed.\n');

  const token = randomBytes(24).toString('hex');
  const ports = Object.fromEntries(Object.entries(COMPOSE_PORTS).map(([name, port]) => [name, Number(process.env[name] ?? port)])) as Record<keyof typeof COMPOSE_PORTS, number>;
  const envFile = join(root, 'compose.env');
  const env: Record<string, string> = {
    DAGWRIGHT_AIRFLOW_SECRET: randomBytes(32).toString('base64url') + '=',
    DAGWRIGHT_SERVICE_TOKEN: token,
    DAGWRIGHT_COMPOSE_DIR: composeDir,
    DAGWRIGHT_RETRY_DELAY_SCALE: flags.retryDelayScale ?? '1',
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
  };
  if (process.env.DAGWRIGHT_LISTEN) env.DAGWRIGHT_LISTEN = process.env.DAGWRIGHT_LISTEN;
  writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  chmodSync(envFile, 0o600);

  const base = composeBase();
  const stack: ComposeStack = {
    ...base,
    envFile,
    composeDir,
    airflowUrl: `http://127.0.0.1:${ports.DAGWRIGHT_PORT_AIRFLOW}`,
    services: { bookmarks: `http://127.0.0.1:${ports.DAGWRIGHT_PORT_BOOKMARKS}`, dq: `http://127.0.0.1:${ports.DAGWRIGHT_PORT_DQ}`, loader: `http://127.0.0.1:${ports.DAGWRIGHT_PORT_LOADER}` },
    s3Endpoint: `http://127.0.0.1:${ports.DAGWRIGHT_PORT_MOTO}`,
    warehouseUrl: `postgres://dagwright:dagwright@127.0.0.1:${ports.DAGWRIGHT_PORT_WAREHOUSE}/analytics`,
    stateUrl: `postgres://airflow:airflow@127.0.0.1:${ports.DAGWRIGHT_PORT_POSTGRES}/dagwright`,
    serviceToken: token,
    pipelines: pipelineTasks(models),
  };
  writeFileSync(composeStackFile(root), JSON.stringify(stack, null, 2) + '\n');

  const started = Date.now();
  say(`docker compose up (project ${stack.project}; ${stack.files.join(', ')})`);
  try {
    await compose(stack, ['up', '-d', '--wait', '--wait-timeout', '600'], say);
    const api = new AirflowApi(stack.airflowUrl, 3);
    let last: Record<string, boolean> = {};
    await waitFor(
      'Airflow',
      async () => {
        last = await api.health().catch(() => ({}));
        return Object.keys(last).length > 0 && Object.values(last).every(Boolean);
      },
      240_000,
      1000,
    ).catch((error: Error) => {
      throw new Error(`${error.message} (${JSON.stringify(last)})`);
    });
    await createPools(stack.airflowUrl, needs.pools, pools, say);
    await seedTopics(stack.s3Endpoint, needs.snsTopics, say);
  } catch (error) {
    process.stderr.write(`dagwright local up --docker: ${(error as Error).message}\n`);
    await compose(stack, ['logs', '--no-color', '--tail', '40'], say).catch(() => undefined);
    return 70;
  }
  say(`ready in ${Math.round((Date.now() - started) / 1000)} s: Airflow ${stack.airflowUrl}, S3 ${stack.s3Endpoint}, warehouse ${withoutCredentials(stack.warehouseUrl)}`);
  process.stdout.write(JSON.stringify({ ...stack, serviceToken: '***' }, null, 2) + '\n');
  return 0;
}

export async function dockerDownCommand(dir: string, say: Say): Promise<number> {
  const file = composeStackFile(dir);
  if (!existsSync(file)) {
    say(`no compose stack recorded in ${file}`);
    return 0;
  }
  const stack = JSON.parse(readFileSync(file, 'utf8')) as ComposeStack;
  // -v: named volumes too, so the next `up` starts fresh, as the native stack does.
  await compose(stack, ['down', '-v', '--remove-orphans', '--timeout', '45'], say);
  say(`compose project ${stack.project} stopped and its volumes removed`);
  return 0;
}

function composeBase(): Pick<ComposeStack, 'project' | 'command' | 'files'> {
  const bin = process.env.DAGWRIGHT_COMPOSE;
  const command = bin ? [bin] : ['docker', 'compose'];
  const files = (process.env.DAGWRIGHT_COMPOSE_FILES ?? 'docker-compose.yml').split(':').filter(Boolean).map((f) => resolve(REPO_ROOT, f));
  return { project: process.env.DAGWRIGHT_COMPOSE_PROJECT ?? 'dagwright', command, files };
}

export async function compose(stack: Pick<ComposeStack, 'project' | 'command' | 'files' | 'envFile'>, args: readonly string[], say: Say): Promise<void> {
  const [bin, ...pre] = stack.command as [string, ...string[]];
  const all = [...pre, '--project-directory', REPO_ROOT, '-p', stack.project, '--env-file', stack.envFile, ...stack.files.flatMap((f) => ['-f', f]), ...args];
  const child = spawn(bin, all, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const relay = (chunk: Buffer): void => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) say(`  ${line}`);
  };
  child.stdout.on('data', relay);
  child.stderr.on('data', relay);
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('close', done);
  });
  if (code !== 0) throw new Error(`${[bin, ...all].join(' ')} exited with ${code}`);
}

/** Pools as `local up` makes them (include_deferred), through Airflow 3's REST API. */
async function createPools(airflowUrl: string, named: ReadonlyMap<string, readonly string[]>, slots: ReadonlyMap<string, number>, say: Say): Promise<void> {
  const pools = new Map<string, number>();
  for (const [name] of named) pools.set(name, slots.get(name) ?? 4);
  for (const [name, n] of slots) pools.set(name, n);
  if (pools.size === 0) return;
  const tokenResponse = await fetch(`${airflowUrl}/auth/token`);
  const { access_token: accessToken } = (await tokenResponse.json()) as { access_token: string };
  for (const [name, n] of pools) {
    const body = JSON.stringify({ name, slots: n, description: 'dagwright local up --docker', include_deferred: true });
    const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    let response = await fetch(`${airflowUrl}/api/v2/pools`, { method: 'POST', headers, body });
    if (response.status === 409) response = await fetch(`${airflowUrl}/api/v2/pools/${encodeURIComponent(name)}`, { method: 'PATCH', headers, body });
    if (!response.ok) throw new Error(`creating pool ${name}: ${response.status} ${await response.text()}`);
  }
  say(`pools: ${[...pools].map(([name, n]) => `${name} (${n} slots, deferred tasks count)`).join(', ')}`);
}

function usage(message: string): number {
  process.stderr.write(`dagwright local up --docker: ${message}\n`);
  return 2;
}
