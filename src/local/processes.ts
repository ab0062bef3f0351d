/**
 * The local stack's processes: each one is started in its own session (so its process group
 * can be stopped as a whole, and a Ctrl-C in the caller's terminal is not what stops it),
 * with stdout and stderr in its own log file.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  /**
   * When the kernel started it (Linux: /proc/<pid>/stat's starttime), so a pid reused by
   * another process after a reboot is never signalled. Absent where /proc is not.
   */
  readonly startTime?: string | undefined;
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

let refusing: string | undefined;

/** From now on startProcess throws `why`: the stack is being stopped (Ctrl-C during `up`). */
export function refuseNewProcesses(why: string): void {
  refusing = why;
}

/** Starts a detached process whose output goes to `log` (appended). */
export function startProcess(options: StartOptions): ProcessRecord {
  if (refusing !== undefined) throw new Error(`${options.name} not started: ${refusing}`);
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
    const startTime = processStartTime(child.pid);
    return { name: options.name, pid: child.pid, log: options.log, command: [options.command, ...options.args], envFile, cwd: options.cwd, ...(startTime ? { startTime } : {}) };
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

interface ProcStat {
  readonly pid: number;
  readonly session: number;
  readonly startTime: string;
}

/** /proc/<pid>/stat's session and starttime (Linux); undefined where there is no /proc. */
function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // `pid (comm) state ppid pgrp session ...`: comm may hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, session: Number(fields[3]), startTime: fields[19] ?? '' };
}

export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.startTime;
}

/**
 * Every process in the session `sid` (each stack process leads its own): Airflow 2.x task
 * processes put themselves in process groups of their own, but stay in the session.
 */
function sessionMembers(sid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat?.session === sid) members.push(stat.pid);
  }
  return members;
}

/** True while the recorded process (or anything left of its session or group) still runs. */
function stillOurs(record: ProcessRecord): boolean {
  // A pid reused by someone else's process after the stack's own ended (a reboot) is not ours.
  const now = processStartTime(record.pid);
  if (record.startTime !== undefined && now !== undefined && now !== record.startTime) return false;
  if (sessionMembers(record.pid).length > 0 || isAlive(record.pid)) return true;
  try {
    process.kill(-record.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signals the session and the process group `pid` leads (the process and what it started). */
function signalAll(record: ProcessRecord, signal: NodeJS.Signals): void {
  const attempt = (target: number): void => {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  };
  if (!stillOurs(record)) return;
  attempt(-record.pid);
  for (const member of sessionMembers(record.pid)) attempt(member);
  attempt(record.pid);
}

/** SIGTERM to the process's session and group, then SIGKILL after `graceMs`; resolves once all are gone. */
export async function stopProcess(record: ProcessRecord, graceMs = 20_000): Promise<'stopped' | 'killed' | 'gone'> {
  if (!stillOurs(record)) return 'gone';
  signalAll(record, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!stillOurs(record)) return 'stopped';
    await sleep(200);
  }
  signalAll(record, 'SIGKILL');
  for (let i = 0; i < 25 && stillOurs(record); i++) await sleep(200);
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
