/**
 * Checks rulesets in a worker thread, so that parsing a large one (a 256 KiB ruleset of
 * 23,000 broken rules takes a second), and the evaluator's checks that need no data (its
 * SQL guard on DuckDB's parser), never hold up the event loop: `/healthz` and
 * other requests are answered meanwhile. One worker, started on first use, checks one
 * ruleset at a time; the problem (line and column, the first MAX_DIAGNOSTICS errors) is
 * built here.
 */
import { Worker } from 'node:worker_threads';
import { Problem } from '../../kit/errors/problem.js';
import { invalidRuleset } from '../domain/problems.js';
import { entryOf } from './entry.js';
import type { StaticCheckOptions } from '@dagwright/dqdl/check';
import type { ParseReply, ParseRequest } from './parse-protocol.js';
// The module the worker thread runs: imported for its type only, so that a build from services/main.ts
// (the real-process tests') compiles it too.
import type {} from './parse-worker.js';

export interface RulesetCounts {
  readonly rules: number;
  readonly analyzers: number;
}

/** How long one ruleset's checks may take before the worker is stopped (and started again for the next). */
export const CHECK_TIMEOUT_MS = 30_000;

/** The checker failed, not the ruleset: 503, retryable; the next request gets a new worker if this one stopped. */
function checkerFailed(why: string): Problem {
  return new Problem('Service.DependencyUnavailable', { detail: `the ruleset checker failed: ${why}` });
}

export class OffLoopParser {
  private worker: Worker | undefined;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (r: ParseReply) => void; reject: (e: unknown) => void }>();

  constructor(private readonly timeoutMs = CHECK_TIMEOUT_MS) {}

  /**
   * The ruleset's counts, or throws `DQ.InvalidRuleset` / `Ruleset.TooComplex` (errors at
   * `path`). With `evaluator`, also what the DuckDB evaluator refuses before reading data.
   */
  async check(text: string, path = '/ruleset', evaluator?: StaticCheckOptions): Promise<RulesetCounts> {
    const reply = await this.ask(text, evaluator);
    if (reply.ok === 'error') throw checkerFailed(reply.message);
    if (!reply.ok) throw invalidRuleset(text, reply.diagnostics, path, reply.total);
    return { rules: reply.rules, analyzers: reply.analyzers };
  }

  /** Starts the worker now rather than on the first ruleset. */
  start(): void {
    this.started();
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w !== undefined) await w.terminate();
  }

  private ask(text: string, evaluator: StaticCheckOptions | undefined): Promise<ParseReply> {
    const worker = this.started();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      // A check that hangs stops the worker: every request waiting on it fails (503), the next starts a new one.
      const timer = setTimeout(() => {
        this.failAll(worker, checkerFailed(`no answer within ${this.timeoutMs} ms`));
        void worker.terminate();
      }, this.timeoutMs);
      timer.unref();
      const settle = <T>(then: (value: T) => void) => (value: T) => {
        clearTimeout(timer);
        then(value);
      };
      this.waiting.set(id, { resolve: settle(resolve), reject: settle(reject) });
      worker.postMessage({ id, text, ...(evaluator !== undefined ? { evaluator } : {}) } satisfies ParseRequest);
    });
  }

  /** The worker, started when there is none. */
  private started(): Worker {
    if (this.worker !== undefined) return this.worker;
    const entry = entryOf('parse-worker');
    const worker = new Worker(entry.workerCode, { eval: true, ...(entry.workerExecArgv ? { execArgv: [...entry.workerExecArgv] } : {}) });
    worker.unref();
    worker.on('message', (reply: ParseReply) => {
      this.waiting.get(reply.id)?.resolve(reply);
      this.waiting.delete(reply.id);
    });
    worker.on('error', (err) => this.failAll(worker, checkerFailed(err.message)));
    worker.on('exit', (code) => this.failAll(worker, checkerFailed(`the worker stopped (exit ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** The worker is done for: every request waiting on it fails with `err`, and the next request starts another. */
  private failAll(worker: Worker, err: Problem): void {
    if (this.worker === worker) this.worker = undefined;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) w.reject(err);
  }
}
