/**
 * Runs one evaluation in its own child process, so that limits hold whatever the query
 * does: DuckDB's own `memory_limit` does not cover every allocation (`repeat('x', 2e9)`
 * grew past 4 GB with a 500 MB limit) and an interrupt does not stop a running function
 * (the same query ran 22 s after one). The parent kills the child (SIGKILL) when
 *
 * - its time limit passes: `DQ.TimeLimitExceeded`;
 * - its resident memory (sampled every 50 ms from /proc) passes the memory limit:
 *   `DQ.MemoryLimitExceeded`;
 * - the job's signal aborts (cancellation, or shutdown handing the job back);
 * - the service process exits.
 *
 * The child runs at a lower scheduling priority (nice 10) than the service, so busy
 * evaluations do not starve the event loop of CPU. Inside, DuckDB's `memory_limit` is 60% of the limit, so ordinary queries spill to disk
 * or fail cleanly long before the hard limit.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { EvaluateResult } from '@dagwright/dqdl/eval';
import { Problem } from '../../kit/errors/problem.js';
import { entryOf } from './entry.js';
// The module the child process runs: imported for its type only, so that a build from services/main.ts
// (the real-process tests') compiles it too.
import type {} from './evaluate-child.js';
import { memoryLimitExceeded, timeLimitExceeded, type EvaluationLimits } from './limits.js';
import type { ChildReply, ChildRequest } from './protocol.js';

const SAMPLE_MS = 50;
/** DuckDB's share of the memory limit. */
const DUCKDB_SHARE = 0.6;
const PAGE = 4096;
/** Scheduling priority of an evaluation's process (`nice`). */
const CHILD_NICENESS = 10;

const live = new Set<ChildProcess>();
let exitHook = false;

/** Resident bytes of a process (Linux), or undefined when it cannot be read. */
function residentBytes(pid: number): number | undefined {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return Number.isFinite(pages) ? pages * PAGE : undefined;
  } catch {
    return undefined;
  }
}

export async function evaluateIsolated(request: Omit<ChildRequest, 'memoryLimit' | 'spillLimit'>, limits: EvaluationLimits, signal: AbortSignal): Promise<EvaluateResult> {
  if (signal.aborted) throw new Problem('Job.Interrupted', { detail: 'the job was handed back before its evaluation began' });
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const child of live) child.kill('SIGKILL');
    });
  }
  const entry = entryOf('evaluate-child');
  // The child runs the caller's SQL: it gets none of the service's secrets (tokens, AWS
  // credentials, database URLs), only what node and DuckDB need to start.
  const child = fork(entry.file, [], { execArgv: [...entry.execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced', env: childEnv(process.env) });
  live.add(child);
  // Below the service's own priority: a busy evaluation must not starve the event loop of CPU.
  if (child.pid !== undefined) {
    try {
      setPriority(child.pid, CHILD_NICENESS);
    } catch {
      // not permitted here: the limits still hold
    }
  }
  return new Promise<EvaluateResult>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(sampler);
      signal.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      live.delete(child);
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(timeLimitExceeded(limits))), limits.timeMs);
    const sampler = setInterval(() => {
      const used = child.pid === undefined ? undefined : residentBytes(child.pid);
      if (used !== undefined && used > limits.memoryBytes) finish(() => reject(memoryLimitExceeded(limits, used)));
    }, SAMPLE_MS);
    const onAbort = () => finish(() => reject(new Problem('Job.Interrupted', { detail: 'the evaluation was stopped: the service handed the job back' })));
    signal.addEventListener('abort', onAbort, { once: true });
    child.once('message', (reply: ChildReply) => finish(() => (reply.ok ? resolve(reply.result) : reject(new Error(`the evaluation failed: ${reply.message}`)))));
    child.once('error', (err) => finish(() => reject(err)));
    child.once('close', (code, sig) => finish(() => reject(new Error(`the evaluation process exited (${sig ?? code}) without a result`))));
    const memoryLimit = `${Math.max(64, Math.floor((limits.memoryBytes * DUCKDB_SHARE) / 1024 ** 2))}MiB`;
    const spillLimit = `${Math.max(1, Math.floor(limits.spillBytes / 1024 ** 2))}MiB`;
    child.send({ ...request, memoryLimit, spillLimit } satisfies ChildRequest);
  });
}

const CHILD_ENV_NAMES: ReadonlySet<string> = new Set(['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LC_ALL', 'TZ', 'NODE_OPTIONS', 'NODE_PATH']);

/** The environment an evaluation's process starts with: no secret of the service's. */
export function childEnv(parent: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(parent).filter(([name]) => CHILD_ENV_NAMES.has(name)));
}
