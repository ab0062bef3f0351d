/**
 * docker-compose.yml, checked statically against what the code expects of a stack: every
 * service, port, mount, connection and environment variable the DAGs, the operators and the
 * services need (derived from src/local: the native stack's airflowEnv(), servicesEnv() and
 * SERVICE_CONNECTIONS, which are proven end to end), MWAA's essential settings, and an Airflow
 * image built from a lock the project tests natively. The file is read as YAML (merge keys
 * resolved) and interpolated with docker/compose.check.env, as Compose would. When Go is on
 * PATH, the file and the CI override also go through tools/compose-check (compose-go, the
 * loader Docker Compose uses; fails on warnings).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { placeholderAirflowEnv } from '../helpers/airflow-env.js';
import { COMPOSE_AIRFLOW, COMPOSE_PORTS, COMPOSE_WAREHOUSES } from '../../src/local/docker.js';
import { SERVICE_CONNECTIONS } from '../../src/local/needs.js';
import { servicesEnv } from '../../src/local/services-env.js';
import { findAirflowTarget } from '../../src/model/airflow-target.js';
import { REPO_ROOT } from '../helpers/paths.js';

type Env = Record<string, string>;
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Env };
  command?: string[];
  entrypoint?: string[];
  environment?: Env;
  ports?: string[];
  volumes?: (string | { type: string; source: string; target: string; read_only?: boolean })[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  network_mode?: string;
  pull_policy?: string;
  extra_hosts?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const read = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');
/** The version a hashed lock (scripts/lock.sh) pins for a package: its `NAME==VERSION \` line. */
const pinOf = (lock: string, name: string): string | undefined => new RegExp(`^${name.replaceAll('.', '\\.')}==(\\S+)(?: \\\\)?$`, 'm').exec(lock)?.[1];
const checkEnv: Env = Object.fromEntries(
  read('docker/compose.check.env')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

/** Compose's interpolation: ${V}, ${V:-d}, ${V-d}, ${V:?msg}, ${V?msg} and $$. */
function interpolate(value: unknown, env: Env, where = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (all, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (all === '$$') return '$';
      const set = name !== undefined && env[name] !== undefined;
      const val = name !== undefined ? env[name] : undefined;
      if (op === ':-') return val ? val : (arg ?? '');
      if (op === '-') return set ? (val as string) : (arg ?? '');
      if (op === ':?' || op === '?') {
        if (op === ':?' ? !val : !set) throw new Error(`${where}: required ${name}: ${arg}`);
        return val as string;
      }
      if (!set) throw new Error(`${where}: ${name} is not set`);
      return val as string;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, `${where}[${i}]`));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, `${where}.${k}`)]));
  return value;
}

function load(path: string, env: Env = checkEnv): ComposeFile {
  return interpolate(parse(read(path), { merge: true }), env) as ComposeFile;
}

const compose = load('docker-compose.yml');
const svc = (name: string): Service => {
  const s = compose.services[name];
  if (!s) throw new Error(`no service ${name}`);
  return s;
};
const AIRFLOW = ['airflow-init', 'api-server', 'scheduler', 'dag-processor', 'triggerer'] as const;
const LONG_RUNNING = Object.keys(compose.services).filter((n) => n !== 'airflow-init');
const flag = (command: string[] | undefined, name: string): string | undefined => {
  const at = (command ?? []).indexOf(name);
  return at >= 0 ? command?.[at + 1] : undefined;
};
const envOf = (name: string): Env => svc(name).environment ?? {};
const portOfUrl = (url: string): { host: string; port: string; path: string } => {
  const u = new URL(url);
  return { host: u.hostname, port: u.port, path: u.pathname };
};

describe('docker-compose.yml', () => {
  it('has the services an MWAA environment and dagwright need', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['airflow-init', 'api-server', 'bookmarks', 'dag-processor', 'dq', 'loader', 'postgres', 's3', 'scheduler', 'triggerer', 'warehouse']);
    expect(svc('airflow-init').command).toEqual(['db', 'migrate']);
    expect(svc('api-server').command).toEqual(['api-server']);
    expect(svc('scheduler').command).toEqual(['scheduler']);
    expect(svc('dag-processor').command).toEqual(['dag-processor']);
    expect(svc('triggerer').command).toEqual(['triggerer']);
    for (const service of ['bookmarks', 'dq', 'loader']) expect(svc(service).command?.[0]).toBe(service);
  });

  it('runs Airflow from an image built from a lock the project tests natively, at MWAA version 3.0.6', () => {
    const lockName = svc('api-server').build?.args?.['AIRFLOW_LOCK'];
    expect(lockName).toBe('airflow-3.0.6');
    const lock = read(`python/requirements/${lockName}.lock`);
    expect(pinOf(lock, 'apache-airflow')).toBe('3.0.6');
    // scripts/test-all.sh tests every airflow-*.lock (scripts/venv.sh --list) natively.
    expect(read('scripts/test-all.sh')).toMatch(/venv\.sh --list \| grep '\^airflow-'/);
    expect(findAirflowTarget(COMPOSE_AIRFLOW)?.version).toBe('3.0');
    const dockerfile = read(svc('api-server').build?.dockerfile as string);
    // The hashed lock is installed as is; the entry point's constraints (for requirements.txt,
    // which carries no hashes) are the installed pins.
    expect(dockerfile).toContain('COPY python/requirements/${AIRFLOW_LOCK}.lock /opt/airflow/airflow.lock');
    expect(dockerfile).toMatch(/pip install [^\n]*--no-deps --require-hashes -r \/opt\/airflow\/airflow\.lock/);
    expect(dockerfile).toMatch(/pip freeze [^\n]*>\s*\/opt\/airflow\/constraints\.txt/);
    expect(read('docker/airflow/entrypoint.sh')).toContain('-c /opt/airflow/constraints.txt');
    // PostgreSQL drivers: the pin the 2.x locks (Airflow's constraints) carry.
    const psycopg = pinOf(read('python/requirements/airflow-2.10.3.lock'), 'psycopg2-binary');
    expect(dockerfile).toContain(`psycopg2-binary==${psycopg}`);
    for (const name of AIRFLOW) {
      expect(svc(name).image).toBe(svc('api-server').image);
      expect(svc(name).build).toEqual(svc('api-server').build);
      expect(envOf(name)['AWS_EXECUTION_ENV']).toBe(`Amazon_MWAA_${lockName?.slice('airflow-'.length).replaceAll('.', '')}`);
    }
    // CI builds its Airflow image from the same Dockerfile and lock.
    expect(read('scripts/compose-e2e.sh')).toContain('docker/airflow/Dockerfile');
    expect(read('scripts/compose-e2e.sh')).toContain('python/requirements/airflow-3.0.6.lock');
    // moto: the version of the tools lock the native tests run.
    const moto = pinOf(read('python/requirements/tools.lock'), 'moto');
    expect(svc('s3').image).toBe(`motoserver/moto:${moto}`);
  });

  it('starts Airflow only after a one-shot db migrate, on PostgreSQL', () => {
    expect(svc('airflow-init').depends_on?.['postgres']?.condition).toBe('service_healthy');
    for (const name of AIRFLOW.filter((n) => n !== 'airflow-init')) expect(svc(name).depends_on?.['airflow-init']?.condition).toBe('service_completed_successfully');
    for (const name of ['scheduler', 'triggerer']) for (const s of ['bookmarks', 'dq', 'loader']) expect(svc(name).depends_on?.[s]?.condition).toBe('service_healthy');
    const db = portOfUrl(envOf('scheduler')['AIRFLOW__DATABASE__SQL_ALCHEMY_CONN'] as string);
    expect(envOf('scheduler')['AIRFLOW__DATABASE__SQL_ALCHEMY_CONN']).toMatch(/^postgresql\+psycopg2:\/\/airflow:airflow@postgres:/);
    expect(db.port).toBe(envOf('postgres')['PGPORT']);
    expect(db.path).toBe(`/${envOf('postgres')['POSTGRES_DB']}`);
  });

  it("gives every Airflow component the settings the native stack's airflowEnv() sets for 3.x", () => {
    const native = placeholderAirflowEnv(COMPOSE_AIRFLOW, { exact: '3.0.6', metadataUrl: 'postgresql+psycopg2://x' });
    const names = Object.keys(native).filter((k) => k.startsWith('AIRFLOW__') || k === 'AWS_EXECUTION_ENV');
    const secret = checkEnv['DAGWRIGHT_AIRFLOW_SECRET'];
    const reference = envOf('api-server');
    const apiPort = reference['AIRFLOW__API__PORT'] as string;
    for (const name of AIRFLOW) {
      const env = envOf(name);
      expect(env).toEqual(reference); // one shared environment: the same Fernet key and JWT secret everywhere
      for (const key of names) {
        expect(env, `${name}: ${key}`).toHaveProperty([key]);
        const want = native[key] as string;
        // Fixed values (not paths, ports, secrets or the metadata URL) must be the same as native.
        if (!/\/|^[0-9]+$|SECRET|SQL_ALCHEMY_CONN|^127\.0\.0\.1$/.test(want) && key !== 'AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE') expect(env[key], `${name}: ${key}`).toBe(want);
      }
      expect(env['AIRFLOW__CORE__FERNET_KEY']).toBe(secret);
      expect(env['AIRFLOW__API_AUTH__JWT_SECRET']).toBe(secret);
      expect(env['AIRFLOW__CORE__EXECUTION_API_SERVER_URL']).toBe(`http://api-server:${apiPort}/execution/`);
      expect(env['AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE']).toBe('False');
    }
    // MWAA's essential settings (shared/mwaa), spelled out.
    expect(reference).toMatchObject({
      AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
      AIRFLOW__SCHEDULER__STANDALONE_DAG_PROCESSOR: 'True',
      AIRFLOW__LOGGING__COLORED_CONSOLE_LOG: 'False',
      AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS: 'True',
      AIRFLOW__EXECUTION_API__JWT_EXPIRATION_TIME: '86400',
      AIRFLOW__CORE__EXECUTOR: 'LocalExecutor',
      AIRFLOW__CORE__EXECUTE_TASKS_NEW_PYTHON_INTERPRETER: 'True',
      AIRFLOW__SECRETS__BACKEND_KWARGS: '{"connections_lookup_pattern": "^(?!aws_default$).*$"}',
    });
    expect(svc('api-server').ports).toEqual([`${apiPort}:${apiPort}`]);
  });

  it('connects the DAGs to each service with the token the service accepts, and AWS to moto', () => {
    const token = checkEnv['DAGWRIGHT_SERVICE_TOKEN'];
    for (const [service, id] of Object.entries(SERVICE_CONNECTIONS)) {
      const conn = JSON.parse(envOf('scheduler')[`AIRFLOW_CONN_${id.toUpperCase()}`] as string) as { conn_type: string; host: string; password: string };
      expect(conn.conn_type).toBe('http');
      expect(conn.password).toBe(token);
      const { host, port } = portOfUrl(conn.host);
      expect(host).toBe(service);
      expect(flag(svc(service).command, '--port')).toBe(port);
      expect(svc(service).ports).toEqual([`${port}:${port}`]);
      expect(svc(service).healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/healthz`);
      expect(envOf(service)['DAGWRIGHT_TOKENS']?.split(',').map((t) => t.split(':')[1])).toContain(token);
    }
    const aws = JSON.parse(envOf('scheduler')['AIRFLOW_CONN_AWS_DEFAULT'] as string) as { conn_type: string; extra: { endpoint_url: string; region_name: string } };
    expect(aws.conn_type).toBe('aws');
    const moto = portOfUrl(aws.extra.endpoint_url);
    expect(moto.host).toBe('s3');
    expect(flag(svc('s3').entrypoint, '-p')).toBe(moto.port);
  });

  it("gives the services the environment the native stack's servicesEnv() gives them", () => {
    const native = servicesEnv({ base: {}, token: 't', s3Endpoint: 'http://s3', warehouses: { analytics: 'postgres://w' }, workDir: '/w' });
    for (const service of ['bookmarks', 'dq', 'loader']) {
      const env = envOf(service);
      for (const key of Object.keys(native)) {
        if (key === 'DAGWRIGHT_DQ_WORK_DIR' && service !== 'dq') continue;
        if (key.startsWith('DAGWRIGHT_WAREHOUSE_') && service !== 'loader') continue;
        expect(env, `${service}: ${key}`).toHaveProperty([key]);
      }
      expect(portOfUrl(env['DAGWRIGHT_S3_ENDPOINT'] as string)).toMatchObject({ host: 's3', port: flag(svc('s3').entrypoint, '-p') });
      const state = new URL(flag(svc(service).command, '--state') as string);
      expect(state.hostname).toBe('postgres');
      expect(state.port).toBe(envOf('postgres')['PGPORT']);
      expect(svc(service).depends_on?.['postgres']?.condition).toBe('service_healthy');
    }
    // The services' state database is created on the metadata server's first start.
    expect(read('docker/postgres/initdb/10-dagwright.sql')).toMatch(/CREATE DATABASE dagwright;/);
    expect(svc('postgres').volumes).toContain('./docker/postgres/initdb:/docker-entrypoint-initdb.d:ro');
  });

  it('maps every warehouse the compose stack accepts to the warehouse PostgreSQL (Redshift stand-in)', () => {
    const wh = envOf('warehouse');
    for (const name of COMPOSE_WAREHOUSES) {
      const url = new URL(envOf('loader')[`DAGWRIGHT_WAREHOUSE_${name.toUpperCase()}`] as string);
      expect(url.hostname).toBe('warehouse');
      expect(url.port).toBe(wh['PGPORT']);
      expect(decodeURIComponent(url.username)).toBe(wh['POSTGRES_USER']);
      expect(decodeURIComponent(url.password)).toBe(wh['POSTGRES_PASSWORD']);
      expect(url.pathname).toBe(`/${wh['POSTGRES_DB']}`);
    }
    expect(svc('loader').depends_on?.['warehouse']?.condition).toBe('service_healthy');
    // The e2e spec's warehouse is one of them.
    expect(read('test/e2e/specs/orders_e2e.yaml')).toMatch(/warehouse: analytics/);
  });

  it("mounts the DAGs, plugins.zip, requirements and startup in MWAA's layout, and unzips plugins.zip at start", () => {
    for (const name of AIRFLOW) {
      const mounts = Object.fromEntries((svc(name).volumes ?? []).map((v) => (typeof v === 'string' ? [v.split(':')[1], v] : [v.target, v])));
      for (const target of ['/usr/local/airflow/dags', '/usr/local/airflow/plugins.zip', '/usr/local/airflow/requirements', '/usr/local/airflow/startup']) {
        const mount = mounts[target] as { type: string; read_only?: boolean; source: string } | undefined;
        expect(mount, `${name}: ${target}`).toMatchObject({ type: 'bind', read_only: true });
        expect(mount?.source.startsWith('./.dagwright/local/compose/')).toBe(true);
      }
      expect(mounts['/usr/local/airflow/logs']).toBe('airflow-logs:/usr/local/airflow/logs');
      expect(envOf(name)['AIRFLOW__CORE__DAGS_FOLDER']).toBe('/usr/local/airflow/dags');
      expect(envOf(name)['AIRFLOW__CORE__PLUGINS_FOLDER']).toBe('/usr/local/airflow/plugins');
      expect(envOf(name)['AIRFLOW_HOME']).toBe('/usr/local/airflow');
    }
    const entrypoint = read('docker/airflow/entrypoint.sh');
    expect(entrypoint).toContain('unzip -q -o "$home/plugins.zip" -d "$home/plugins"');
    expect(entrypoint).toContain('-c /opt/airflow/constraints.txt');
    expect(entrypoint).toMatch(/timeout 300 bash -c 'source/);
    expect(entrypoint).toMatch(/"\$\{1:-\}" != db/); // startup.sh is skipped for db migrate
  });

  it('declares named volumes and a health check on every long-running service', () => {
    for (const name of LONG_RUNNING) expect(svc(name).healthcheck?.test, name).toBeDefined();
    expect(Object.keys(compose.volumes).sort()).toEqual(['airflow-logs', 'dq-work', 'postgres-data', 'warehouse-data']);
    expect(svc('postgres').volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(svc('warehouse').volumes).toContain('warehouse-data:/var/lib/postgresql/data');
  });

  it("uses the same port defaults as `local up --docker`, and every port is a variable", () => {
    const text = read('docker-compose.yml');
    for (const [name, port] of Object.entries(COMPOSE_PORTS)) {
      const defaults = [...text.matchAll(new RegExp(`\\$\\{${name}:-(\\d+)\\}`, 'g'))].map((m) => Number(m[1]));
      expect(defaults.length, name).toBeGreaterThan(0);
      expect(new Set(defaults), name).toEqual(new Set([port]));
    }
    // No literal host port: each published port is one of the variables.
    for (const [name, s] of Object.entries(parse(text, { merge: true }).services as Record<string, Service>)) for (const p of s.ports ?? []) expect(p, name).toMatch(/^\$\{DAGWRIGHT_PORT_[A-Z_]+:-\d+\}:\$\{DAGWRIGHT_PORT_[A-Z_]+:-\d+\}$/);
  });

  it('the CI override swaps in local images and host networking, where every service name resolves to loopback', () => {
    // `!reset` (Compose's tag that drops an inherited value) read as the value it resets to.
    const ci = parse(read('docker/ci/compose.ci.yml').replaceAll('!reset ', ''), { merge: true }) as { services: Record<string, Service> };
    expect(Object.keys(ci.services).sort()).toEqual(Object.keys(compose.services).sort());
    const hostnames = new Set<string>();
    for (const name of AIRFLOW) for (const value of Object.values(envOf(name))) for (const m of value.matchAll(/https?:\/\/([a-z0-9-]+):/g)) hostnames.add(m[1] as string);
    for (const name of ['bookmarks', 'dq', 'loader']) {
      for (const value of [...Object.values(envOf(name)), ...(svc(name).command ?? [])]) for (const m of value.matchAll(/:\/\/(?:[^@/]*@)?([a-z0-9-]+):/g)) hostnames.add(m[1] as string);
    }
    expect([...hostnames].sort()).toEqual(['api-server', 'bookmarks', 'dq', 'loader', 'postgres', 's3', 'warehouse']);
    for (const [name, s] of Object.entries(ci.services)) {
      expect(s.network_mode, name).toBe('host');
      expect(s.pull_policy, name).toBe('never');
      expect(s.image, name).toMatch(/dagwright-ci\//);
      for (const host of hostnames) expect(s.extra_hosts, name).toContain(`${host}:127.0.0.1`);
    }
  });

  it.skipIf(!hasGo())('passes compose-go (the loader docker compose uses) with no warnings, alone and with the CI override', () => {
    const result = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'compose-check.sh')], { encoding: 'utf8', timeout: 170_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('docker-compose.yml: ok');
    expect(result.stdout).toContain('docker-compose.yml + docker/ci/compose.ci.yml: ok');
    const normalized = JSON.parse(spawnSync('bash', [join(REPO_ROOT, 'scripts', 'compose-check.sh'), '--print', '--ci'], { encoding: 'utf8' }).stdout) as { services: Record<string, { network_mode?: string; ports?: unknown[] }> };
    for (const s of Object.values(normalized.services)) {
      expect(s.network_mode).toBe('host');
      expect(s.ports ?? []).toEqual([]);
    }
  }, 180_000);
});

function hasGo(): boolean {
  return existsSync(join(REPO_ROOT, 'tools', 'compose-check', 'go.mod')) && spawnSync('go', ['version']).status === 0;
}
