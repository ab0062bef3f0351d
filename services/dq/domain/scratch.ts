/**
 * The scratch space evaluations download into: one folder per process under the work
 * directory (`proc-<pid>`), one per job inside it, and a bound on the bytes jobs hold.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Problem } from '../../kit/errors/problem.js';

/** The bytes evaluations may hold in scratch at once, unless `DAGWRIGHT_DQ_WORK_MAX_BYTES` says. */
export const DEFAULT_WORK_MAX_BYTES = 10 * 1024 ** 3;

const PROCESS_DIR = /^proc-(\d+)$/;
const JOB_DIR = /^job_[0-9A-Za-z]+$/;

function alive(pid: number): boolean {
  if (pid === process.pid) return false; // this process is starting: nothing of it runs yet
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Makes this process's scratch folder, empty, and removes what stopped processes left (a
 * job killed or handed back never ran its own clean-up): the folders of processes that
 * no longer run, and job folders of the layout before them. Nothing else in the work
 * directory is touched. Returns this process's folder.
 */
export function prepareWorkDir(workDir: string): string {
  mkdirSync(workDir, { recursive: true });
  for (const name of readdirSync(workDir)) {
    const pid = PROCESS_DIR.exec(name)?.[1];
    const stale = pid !== undefined ? !alive(Number(pid)) : JOB_DIR.test(name);
    if (stale) rmSync(path.join(workDir, name), { recursive: true, force: true });
  }
  const own = path.join(workDir, `proc-${process.pid}`);
  mkdirSync(own, { recursive: true });
  return own;
}

/** The bytes running jobs hold in scratch, bounded by `maxBytes`. */
export class ScratchBudget {
  private used = 0;

  constructor(readonly maxBytes: number) {}

  /**
   * Holds `bytes` more for a job that already holds `held`. A job that alone would need
   * more than the whole budget fails `422 DQ.DatasetTooLarge`; one that would fit once
   * other jobs finish fails with the retryable `Service.Busy`.
   */
  take(bytes: number, held: number): void {
    if (held + bytes > this.maxBytes) {
      throw new Problem('DQ.DatasetTooLarge', {
        detail: `the dataset needs ${held + bytes} bytes of scratch space; evaluations may use ${this.maxBytes} (DAGWRIGHT_DQ_WORK_MAX_BYTES)`,
        errors: [{ path: '/dataset', message: `is ${held + bytes} bytes to download; at most ${this.maxBytes}` }],
      });
    }
    if (this.used + bytes > this.maxBytes) {
      throw new Problem('Service.Busy', { detail: `other evaluations hold the scratch space (${this.used} of ${this.maxBytes} bytes); retry later` });
    }
    this.used += bytes;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
