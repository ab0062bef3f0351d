import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const TSC = join(REPO, 'node_modules', '.bin', 'tsc');
const TSC_OPTIONS = ['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2023', '--types', 'node', '--strict', '--esModuleInterop', '--skipLibCheck'];

/** Compiles `files` (and what they import) to `outDir`; the compiler's output, for errors. */
function compile(files: readonly string[], rootDir: string, outDir: string): string {
  const res = spawnSync(TSC, ['--ignoreConfig', ...files, '--outDir', outDir, '--rootDir', rootDir, ...TSC_OPTIONS], { encoding: 'utf8', cwd: REPO });
  return `${res.stdout}\n${res.stderr}`;
}

/**
 * Compiles `services/main.ts` and `services/main.testing.ts` (and what they import) to
 * JavaScript for real-process tests, under node_modules/.cache so that Node finds the
 * packages. Returns the path of the entry's JavaScript: the product's `main.js`, or
 * `main.testing.js`, which adds the test-only fault injection (`DAGWRIGHT_FAULT_*`).
 * @dagwright/dqdl is compiled from its sources too, into the build's own node_modules, where
 * Node finds it before the repository's link: never an older packages/dqdl/dist, nor none.
 */
export function buildServices(entry: 'main' | 'main.testing' = 'main'): string {
  const out = join(REPO, 'node_modules', '.cache', `dagwright-services-${process.pid}`);
  const main = join(out, 'services', `${entry}.js`);
  if (existsSync(main)) return main;
  removeStaleBuilds(join(REPO, 'node_modules', '.cache'));
  mkdirSync(out, { recursive: true });
  process.once('exit', () => rmSync(out, { recursive: true, force: true }));
  const dqdl = join(out, 'node_modules', '@dagwright', 'dqdl');
  const dqdlSources = join(REPO, 'packages', 'dqdl', 'src');
  const dqdlOutput = compile([join(dqdlSources, 'index.ts'), join(dqdlSources, 'eval', 'index.ts')], dqdlSources, join(dqdl, 'dist'));
  if (!existsSync(join(dqdl, 'dist', 'eval', 'index.js'))) throw new Error(`could not build packages/dqdl:\n${dqdlOutput}`);
  copyFileSync(join(REPO, 'packages', 'dqdl', 'package.json'), join(dqdl, 'package.json'));
  const output = compile([join(REPO, 'services', 'main.ts'), join(REPO, 'services', 'main.testing.ts')], REPO, out);
  if (!existsSync(main)) throw new Error(`could not build services/main.ts:\n${output}`);
  return main;
}

/** Builds of test processes that are gone (a worker killed before its exit handler ran). */
function removeStaleBuilds(cache: string): void {
  if (!existsSync(cache)) return;
  for (const name of readdirSync(cache)) {
    const pid = Number(/^dagwright-services-(\d+)$/.exec(name)?.[1] ?? NaN);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(cache, name), { recursive: true, force: true });
    }
  }
}

export interface ServiceProcess {
  readonly proc: ChildProcess;
  readonly url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr or stdout has matched `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `node main.js <args>` and waits for its "listening" line; with `faults`, the test
 * entry point instead, which reads the `DAGWRIGHT_FAULT_*` variables (kit/testing/faults.ts).
 */
export async function startService(args: readonly string[], env: NodeJS.ProcessEnv, options: { readonly timeoutMs?: number; readonly faults?: boolean } = {}): Promise<ServiceProcess> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const main = buildServices(options.faults ? 'main.testing' : 'main');
  const proc = spawn(process.execPath, [main, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) w();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of waiters) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => proc.on('exit', (code, signal) => res({ code, signal })));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const w of waiters) w();
  });
  const waitFor = (pattern: RegExp, ms = timeoutMs) =>
    new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no ${pattern} within ${ms} ms\nstdout:\n${out}\nstderr:\n${err}`)), ms);
      const check = () => {
        if (pattern.test(out) || pattern.test(err)) {
          clearTimeout(timer);
          res();
        } else if (done) {
          clearTimeout(timer);
          rej(new Error(`process exited before ${pattern}\nstdout:\n${out}\nstderr:\n${err}`));
        }
      };
      waiters.push(check);
      check();
    });
  await waitFor(/"msg":"listening"/);
  const url = /"url":"([^"]+)"/.exec(out)?.[1] ?? '';
  return { proc, url, stdout: () => out, stderr: () => err, waitFor, exited };
}
