import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import type { DestinationStream } from 'pino';
import { createBookmarksService, type BookmarksConfig } from './bookmarks/index.js';
import { createDqService, type DqConfig } from './dq/index.js';
import { createLoaderService, type LoaderConfig } from './loader/index.js';
import { createApp, type Lifecycle } from './kit/app.js';
import { ConfigError, wholeNumber } from './kit/config/index.js';
import { openJobStore } from './kit/jobs/open-job-store.js';
import { JobRunner } from './kit/jobs/runner.js';
import { createLogger, type Logger } from './kit/logging.js';
import { loadTokens } from './kit/middleware/auth/tokens.js';
import { loadScopes } from './kit/scopes/load.js';
import { createMetrics, type KitMetrics } from './kit/ops/metrics.js';
import type { ServiceModule } from './kit/service-module.js';
import { createShutdown, installSignalHandlers } from './kit/shutdown.js';
import { SchemaMigrationError } from './kit/state/migrations.js';
import { openState, type StateBackend } from './kit/state/open-state.js';

export const SERVICES = ['bookmarks', 'dq', 'loader'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface ServeOptions {
  readonly service: ServiceName | (string & {});
  /** 8080 by default; 0 picks a free port. */
  readonly port?: number;
  /** A SQLite path or a postgres:// URL; `$DAGWRIGHT_STATE`, else `./dagwright-<service>.sqlite`. */
  readonly state?: string;
  readonly host?: string;
  /** Defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Install SIGTERM/SIGINT handlers that shut down and exit (default true). */
  readonly handleSignals?: boolean;
  readonly logDestination?: DestinationStream;
  /** What the service's factory gets besides the state, metrics and environment (test hooks). */
  readonly overrides?: ServiceOverrides;
}

/** Each service's own options, as its factory takes them, beyond what `serve` gives every service. */
export interface ServiceOverrides {
  readonly bookmarks?: Partial<Omit<BookmarksConfig, 'state' | 'metrics' | 'env'>>;
  readonly dq?: Partial<Omit<DqConfig, 'state' | 'metrics' | 'env'>>;
  readonly loader?: Partial<Omit<LoaderConfig, 'env' | 'log' | 'metrics'>>;
}

export interface RunningService {
  readonly service: string;
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Graceful stop: drain jobs, close the server and the state. */
  close(reason?: string): Promise<void>;
}

/** A configuration or start-up error, with a stable code. */
export class ServeError extends Error {
  constructor(
    readonly code: 'Serve.UnknownService' | 'Serve.NoTokens' | 'Serve.BadTokens' | 'Serve.BadScopes' | 'Serve.BadOption',
    message: string,
  ) {
    super(message);
    this.name = 'ServeError';
  }
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  try {
    return wholeNumber(env, name) ?? fallback;
  } catch (err) {
    throw err instanceof ConfigError ? new ServeError('Serve.BadOption', err.message) : err;
  }
}

/** Starts one dagwright service and resolves once it listens. */
export async function serve(options: ServeOptions): Promise<RunningService> {
  const env = options.env ?? process.env;
  const name = options.service;
  if (!(SERVICES as readonly string[]).includes(name)) {
    throw new ServeError('Serve.UnknownService', `unknown service ${JSON.stringify(name)}: choose one of ${SERVICES.join(', ')}`);
  }

  const { tokens, errors } = loadTokens({ env });
  if (errors.length > 0) throw new ServeError('Serve.BadTokens', errors.map((e) => e.message).join('; '));
  if (tokens.size === 0) {
    throw new ServeError('Serve.NoTokens', 'no bearer tokens: set DAGWRIGHT_TOKEN, DAGWRIGHT_TOKENS (name:token,...) or DAGWRIGHT_TOKENS_FILE');
  }

  const scoping = loadScopes({ env });
  if (scoping.errors.length > 0) throw new ServeError('Serve.BadScopes', scoping.errors.map((e) => e.message).join('; '));
  const scopes = scoping.policy;

  const level = (env.DAGWRIGHT_LOG_LEVEL ?? 'info') as 'info';
  const log = createLogger({ service: name, level, ...(options.logDestination ? { destination: options.logDestination } : {}) });
  if (scopes.kind === 'unscoped') {
    log.warn('running unscoped: every token may use every verb, pipeline, bookmark, warehouse and S3 location; set DAGWRIGHT_SCOPES_FILE to scope them');
  } else {
    const unscoped = tokens.identities().filter((identity) => !scopes.scopes.has(identity));
    if (unscoped.length > 0) log.warn({ identities: unscoped }, 'identities without a scope entry: every request of theirs is refused');
  }
  const metrics = createMetrics({ service: name, defaultMetrics: true });
  const stateSpec = options.state ?? env.DAGWRIGHT_STATE ?? `dagwright-${name}.sqlite`;
  const state = await openState({ spec: stateSpec });
  const closers: Array<() => Promise<void>> = [];
  try {
    const jobStore = openJobStore(state);
    await jobStore.migrate();

    const service = await openService(name as ServiceName, { state, metrics, env, log, overrides: options.overrides ?? {} });
    closers.push(service.close);
    const module: ServiceModule = service.module;

    const runner = new JobRunner({
      service: name,
      store: jobStore,
      log,
      metrics,
      maxConcurrent: intFromEnv(env, 'DAGWRIGHT_MAX_JOBS', 8),
      leaseMs: intFromEnv(env, 'DAGWRIGHT_JOB_LEASE_MS', 30_000),
    });
    const lifecycle: Lifecycle = { draining: false };
    const app = createApp({
      module,
      runner,
      jobStore,
      tokens,
      scopes,
      log,
      metrics,
      lifecycle,
      maxBodyBytes: intFromEnv(env, 'DAGWRIGHT_MAX_BODY_BYTES', 1024 * 1024),
    });
    await runner.start();

    const server = createServer(app);
    server.keepAliveTimeout = 65_000;
    const host = options.host ?? env.DAGWRIGHT_HOST ?? '0.0.0.0';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 8080, host, () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080);
    const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    log.info({ host, port, url, state: state.describe, max_jobs: runner.maxConcurrent }, 'listening');

    const shutdown = createShutdown({
      server,
      runner,
      lifecycle,
      log,
      graceMs: intFromEnv(env, 'DAGWRIGHT_SHUTDOWN_GRACE_MS', 25_000),
      close: [...closers, () => state.close()],
    });
    if (options.handleSignals ?? true) installSignalHandlers(shutdown, log);
    return { service: name, url, port, server, close: (reason = 'close') => shutdown(reason) };
  } catch (err) {
    for (const close of closers) await close().catch(() => undefined);
    await state.close();
    throw err;
  }
}

/** Builds the named service's module on the kit's shared state, metrics and logger. */
async function openService(
  name: ServiceName,
  deps: { state: StateBackend; metrics: KitMetrics; env: NodeJS.ProcessEnv; log: Logger; overrides: ServiceOverrides },
): Promise<{ module: ServiceModule; close: () => Promise<void> }> {
  const { state, metrics, env, log, overrides } = deps;
  switch (name) {
    case 'bookmarks':
      return createBookmarksService({ ...overrides.bookmarks, state, metrics, env });
    case 'dq':
      return createDqService({ ...overrides.dq, state, metrics, env });
    case 'loader':
      return createLoaderService({ ...overrides.loader, env, log, metrics });
  }
}

export interface CliArgs {
  readonly service: string;
  readonly port?: number;
  readonly state?: string;
  readonly host?: string;
}

/** `<bookmarks|dq|loader> [--port N] [--state <sqlite-path|postgres-url>] [--host H]`. */
export function parseArgs(argv: readonly string[]): CliArgs {
  let service: string | undefined;
  const out: { port?: number; state?: string; host?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new ServeError('Serve.BadOption', `${flag} needs a value`);
      return v;
    };
    if (flag === '--port') {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ServeError('Serve.BadOption', '--port must be 0-65535');
      out.port = port;
    } else if (flag === '--state') out.state = value();
    else if (flag === '--host') out.host = value();
    else if (flag.startsWith('-')) throw new ServeError('Serve.BadOption', `unknown option ${flag}`);
    else if (service === undefined) service = flag;
    else throw new ServeError('Serve.BadOption', `unexpected argument ${JSON.stringify(flag)}`);
  }
  if (!service) throw new ServeError('Serve.BadOption', `usage: main.js <${SERVICES.join('|')}> [--port N] [--state <sqlite-path|postgres-url>] [--host H]`);
  return { service, ...out };
}

/**
 * The command line of a service, shared by `dagwright serve` and `node dist/services/main.js`:
 * parses `argv` (the arguments after the command), starts the service and resolves 0 once it
 * listens, or writes one line `dagwright serve: <code>: <message>` and resolves 2. The CLI
 * listens on 127.0.0.1 unless told otherwise (`defaults.host`); the entry point and the
 * container on `$DAGWRIGHT_HOST`, else 0.0.0.0.
 */
export async function serveCli(argv: readonly string[], defaults: { readonly host?: string; readonly overrides?: ServiceOverrides } = {}): Promise<number> {
  try {
    const args = parseArgs(argv);
    const host = args.host ?? defaults.host;
    await serve({ ...args, ...(host !== undefined ? { host } : {}), ...(defaults.overrides ? { overrides: defaults.overrides } : {}) });
    return 0;
  } catch (err) {
    const code = err instanceof ServeError || err instanceof SchemaMigrationError ? err.code : 'Serve.Failed';
    process.stderr.write(`dagwright serve: ${code}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void serveCli(process.argv.slice(2)).then((code) => {
    if (code !== 0) process.exit(code);
  });
}
