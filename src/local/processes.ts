/**
 * The local stack's processes: each one is started in its own session (so its process group
 * can be stopped as a whole, and a Ctrl-C in the caller's terminal is not what stops it),
 * with stdout and stderr in its own log file.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessRecord {
  /** What it is: `scheduler`, `loader`, ... */
  readonly name: string;
  readonly pid: number;
  readonly log: string;
  readonly command: readonly string[];
  /** Its environment, kept (mode 0600) so `local restart` starts it again the same way. */
  readonly envFile: string;
  readonly cwd?: string | undefined;
}

export interface StartOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly log: string;
  readonly cwd?: string;
}

/** Starts a process again exactly as it was first started (command, environment, log). */
export function restartProcess(record: ProcessRecord): ProcessRecord {
  const [command = '', ...args] = record.command;
  const env = JSON.parse(readFileSync(record.envFile, 'utf8')) as NodeJS.ProcessEnv;
  return startProcess({ name: record.name, command, args, env, log: record.log, ...(record.cwd ? { cwd: record.cwd } : {}) });
}

/** Starts a detached process whose output goes to `log` (appended). */
export function startProcess(options: StartOptions): ProcessRecord {
  mkdirSync(dirname(options.log), { recursive: true });
  const envFile = `${options.log.replace(/\.log$/, '')}.env.json`;
  writeFileSync(envFile, JSON.stringify(options.env), { mode: 0o600 });
  const fd = openSync(options.log, 'a');
  try {
    const child = spawn(options.command, [...options.args], {
      env: options.env,
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);
    child.unref();
    return { name: options.name, pid: child.pid, log: options.log, command: [options.command, ...options.args], envFile, cwd: options.cwd };
  } finally {
    closeSync(fd);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Signals the process group `pid` leads (the process and what it started). */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return isAlive(pid);
  }
}

/** SIGTERM to the group, then SIGKILL after `graceMs`; resolves once the group is gone. */
export async function stopProcess(record: ProcessRecord, graceMs = 20_000): Promise<'stopped' | 'killed' | 'gone'> {
  if (!groupAlive(record.pid)) return 'gone';
  signalGroup(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(record.pid)) return 'stopped';
    await sleep(200);
  }
  signalGroup(record.pid, 'SIGKILL');
  for (let i = 0; i < 25 && groupAlive(record.pid); i++) await sleep(200);
  return 'killed';
}

/** Polls `check` until it returns true, or throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${Math.round(timeoutMs / 1000)} s`);
    await sleep(intervalMs);
  }
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
