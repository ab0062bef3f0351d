/**
 * How the local stack's processes are stopped (issue 9's review): `down` must reach every
 * process of a stack process's session, never signal a pid that is no longer ours, and a
 * Ctrl-C during `up` or `demo` must stop what they started (their processes run in sessions of
 * their own, so the terminal's signal does not reach them). Real processes, Linux /proc.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, startProcess, stopProcess } from '../../src/local/processes.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { temporaryDirs } from './fixtures/stack.js';

const dirs = temporaryDirs('dw-local-');
const tempDir = dirs.make;
const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  dirs.removeAll();
});

async function waitForFile(file: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    try {
      const text = readFileSync(file, 'utf8').trim();
      if (text) return text;
    } catch {
      // not yet
    }
    await sleep(50);
  }
  throw new Error(`${file} never written`);
}

describe.runIf(process.platform === 'linux')('stopping a stack process', () => {
  it('stops a process that left its process group but stayed in the session (as Airflow 2.x task processes do)', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'child.pid');
    // A child in a process group of its own, in the same session (what StandardTaskRunner does).
    const script = `import os, subprocess\np = subprocess.Popen(['sleep', '300'], process_group=0)\nopen(${JSON.stringify(pidFile)}, 'w').write(str(p.pid))\np.wait()`;
    const record = startProcess({ name: 'scheduler', command: 'python3', args: ['-c', script], env: process.env, log: join(dir, 'scheduler.log') });
    const child = Number(await waitForFile(pidFile));
    leftovers.push(record.pid, child);
    expect(spawnSync('ps', ['-o', 'pgid=', '-p', String(child)]).stdout.toString().trim()).not.toBe(String(record.pid));

    expect(await stopProcess(record, 5_000)).toBe('stopped');
    expect(isAlive(child)).toBe(false);
    expect(isAlive(record.pid)).toBe(false);
  });

  it('leaves alone a process that reuses a recorded pid', async () => {
    const dir = tempDir();
    const stranger = startProcess({ name: 'stranger', command: 'sleep', args: ['300'], env: process.env, log: join(dir, 'stranger.log') });
    leftovers.push(stranger.pid);
    expect(stranger.startTime).toMatch(/^\d+$/);
    // The record of an earlier process that had the same pid: another start time.
    const stale = { ...stranger, name: 'scheduler', startTime: String(Number(stranger.startTime) - 1) };

    expect(await stopProcess(stale, 1_000)).toBe('gone');
    expect(isAlive(stranger.pid)).toBe(true);
  });

  it('Ctrl-C while a stack starts stops what it started, and exits 130', async () => {
    const dir = tempDir();
    const up = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/local/fixtures/interruptible-up.ts'), dir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    up.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const pid = await new Promise<number>((resolve, reject) => {
      up.stdout.on('data', (chunk: Buffer) => {
        const match = /READY (\d+)/.exec(chunk.toString());
        if (match) resolve(Number(match[1]));
      });
      up.once('exit', (code) => reject(new Error(`exited ${code} before READY: ${stderr}`)));
    });
    leftovers.push(pid);
    expect(isAlive(pid)).toBe(true);

    up.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => up.once('exit', resolve));
    expect(code, stderr).toBe(130);
    expect(isAlive(pid)).toBe(false);
    expect(stderr).toContain('SIGINT: stopping the local stack');
    expect(stderr).toMatch(/scheduler \(pid \d+\) stopped/);
  }, 30_000);
});
