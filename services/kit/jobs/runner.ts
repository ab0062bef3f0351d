import type { Logger } from 'pino';
import { Problem, internalProblem, isProblem } from '../errors/problem.js';
import type { KitMetrics } from '../ops/metrics.js';
import { Access } from '../scopes/access.js';
import { UNSCOPED } from '../scopes/model.js';
import { newJobId } from './ids.js';
import { conflictProblem, decideForKey } from './idempotency.js';
import { isFinal, ownedBy, toWire, type Job, type JobRecord, type JobStore } from './types.js';

/** What a job handler gets besides its input. */
export interface JobContext {
  readonly jobId: string;
  readonly attempt: number;
  /** Who asked for the job (the bearer token's identity). */
  readonly identity: string;
  /** Its scopes: check what the job touches with `access.require(...)` before touching it. */
  readonly access: Access;
  readonly log: Logger;
  /** Aborted when the service hands the job back on shutdown. */
  readonly signal: AbortSignal;
}

/** Runs one kind of job. Throw an `Problem` to fail it with a code. */
export type JobHandler<I = unknown, R = unknown> = (input: I, ctx: JobContext) => Promise<R>;

export interface Submission {
  readonly kind: string;
  readonly idempotencyKey: string;
  /** Canonical JSON of the request the key was used with. */
  readonly fingerprint: string;
  readonly input: unknown;
  /** Who asks: keys are per identity, so one identity never replays another's job. */
  readonly identity: string;
  /** Its scopes, handed to the job; unscoped when absent. */
  readonly access?: Access;
  /**
   * Runs only when a new job is about to be created (never on a replay). It
   * may refuse by throwing an `Problem`; then no job is created.
   */
  readonly admit?: () => Promise<void>;
}

export interface SubmitOutcome {
  readonly job: Job;
  readonly replayed: boolean;
}

export interface JobRunnerOptions {
  readonly service: string;
  readonly store: JobStore;
  readonly log: Logger;
  /** Most jobs running at once; more gives `429 Service.Busy`. */
  readonly maxConcurrent?: number;
  /** How long a job's lease lasts; renewed every third of it while it runs. */
  readonly leaseMs?: number;
  readonly metrics?: KitMetrics;
  readonly now?: () => Date;
}

interface Active {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * Runs jobs in this process, with idempotency keys, persistence through a
 * `JobStore`, bounded concurrency and leases. Implements the job part of the
 * service protocol once for every service.
 */
export class JobRunner {
  readonly service: string;
  readonly maxConcurrent: number;
  private readonly store: JobStore;
  private readonly log: Logger;
  private readonly leaseMs: number;
  private readonly metrics: KitMetrics | undefined;
  private readonly now: () => Date;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly active = new Map<string, Active>();
  private reserved = 0;
  private leaseTimer: NodeJS.Timeout | undefined;
  private accepting = true;

  constructor(options: JobRunnerOptions) {
    this.service = options.service;
    this.store = options.store;
    this.log = options.log;
    this.maxConcurrent = options.maxConcurrent ?? 8;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.metrics = options.metrics;
    this.now = options.now ?? (() => new Date());
  }

  register<I, R>(kind: string, handler: JobHandler<I, R>): void {
    if (this.handlers.has(kind)) throw new Error(`job kind ${kind} is registered twice`);
    this.handlers.set(kind, handler as JobHandler);
  }

  kinds(): string[] {
    return [...this.handlers.keys()];
  }

  /**
   * Marks the jobs of dead processes `failed` with `Job.Interrupted`, and
   * starts renewing leases. Call once before serving.
   */
  async start(): Promise<number> {
    const at = this.now().toISOString();
    const count = await this.store.interruptUnfinished({
      service: this.service,
      at,
      error: interrupted('the service stopped before the job finished'),
      ...(this.store.capabilities.exclusive ? {} : { leaseExpiredBefore: at }),
    });
    if (count > 0) this.log.warn({ count }, 'marked interrupted jobs failed');
    this.leaseTimer = setInterval(() => void this.renewLeases(), Math.max(10, Math.floor(this.leaseMs / 3)));
    this.leaseTimer.unref();
    return count;
  }

  /** Jobs running or being admitted now. */
  load(): number {
    return this.reserved + this.active.size;
  }

  saturated(): boolean {
    return this.load() >= this.maxConcurrent;
  }

  isAccepting(): boolean {
    return this.accepting;
  }

  async submit(submission: Submission): Promise<SubmitOutcome> {
    if (!this.accepting) throw new Problem('Service.ShuttingDown', { detail: 'the service is shutting down' });
    const handler = this.handlers.get(submission.kind);
    if (!handler) throw new Error(`no handler for job kind ${submission.kind}`);
    if (this.saturated()) {
      throw new Problem('Service.Busy', { detail: `the service runs its maximum of ${this.maxConcurrent} jobs` });
    }
    this.reserved++;
    let handedOver = false;
    try {
      let latest = await this.refreshed(await this.store.latestForKey(this.service, submission.identity, submission.idempotencyKey));
      let admitted = false;
      for (;;) {
        const decision = decideForKey(latest, submission.fingerprint);
        if (decision.kind === 'conflict') throw conflictProblem(submission.idempotencyKey);
        if (decision.kind === 'replay') return { job: toWire(decision.job), replayed: true };
        if (!admitted) await submission.admit?.();
        admitted = true;
        const record = this.newRecord(submission, decision.attempt);
        const outcome = await this.store.insert(record);
        if (outcome.inserted) {
          this.reserved--;
          handedOver = true;
          this.execute(record, handler, submission.access ?? Access.for(UNSCOPED, submission.identity));
          return { job: toWire(record), replayed: false };
        }
        // Another request with this key won the race for this attempt: decide again against
        // the newest job (a replay, a conflict, or, if that one failed already, the next attempt).
        const newest = await this.store.latestForKey(this.service, submission.identity, submission.idempotencyKey);
        latest = await this.refreshed(newest && newest.attempt >= decision.attempt ? newest : outcome.existing);
      }
    } finally {
      if (!handedOver) this.reserved--;
    }
  }

  private newRecord(submission: Submission, attempt: number): JobRecord {
    const now = this.now();
    return {
      id: newJobId(now),
      service: this.service,
      kind: submission.kind,
      owner: submission.identity,
      status: 'queued',
      attempt,
      idempotency_key: submission.idempotencyKey,
      fingerprint: submission.fingerprint,
      input: submission.input,
      result: null,
      error: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      lease_until: new Date(now.getTime() + this.leaseMs).toISOString(),
    };
  }

  /** The job, if `identity` owns it (or it predates owners: see `JobRecord.owner`). */
  async get(id: string, identity: string): Promise<Job | undefined> {
    const stored = await this.store.get(this.service, id);
    if (!stored || !ownedBy(stored, identity)) return undefined;
    const record = await this.refreshed(stored);
    return record && toWire(record);
  }

  /**
   * Stops taking jobs, waits up to `graceMs` for the running ones, then hands
   * back the rest: they are aborted and reported `failed` with the retryable
   * `Job.Interrupted`, so their clients retry (against another replica or
   * after the restart) with the same key.
   */
  async drain(graceMs: number): Promise<{ finished: number; handedBack: number }> {
    this.accepting = false;
    const running = [...this.active.entries()];
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    await Promise.race([Promise.all(running.map(([, a]) => a.done)), timeout]);
    const left = [...this.active.keys()];
    if (left.length > 0) {
      for (const id of left) this.active.get(id)?.controller.abort();
      await this.store.interruptUnfinished({
        service: this.service,
        at: this.now().toISOString(),
        error: interrupted('the service shut down before the job finished; retry with the same key'),
        ids: left,
      });
      this.log.warn({ jobs: left }, 'handed back unfinished jobs');
    }
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    return { finished: running.length - left.length, handedBack: left.length };
  }

  /** Stops the lease timer without draining (tests, or after `drain`). */
  stop(): void {
    this.accepting = false;
    if (this.leaseTimer) clearInterval(this.leaseTimer);
  }

  /** Resolves when no job is running (tests). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.all([...this.active.values()].map((a) => a.done));
  }

  private execute(record: JobRecord, handler: JobHandler, access: Access): void {
    const controller = new AbortController();
    const log = this.log.child({ job_id: record.id, kind: record.kind, attempt: record.attempt });
    const started = process.hrtime.bigint();
    this.metrics?.jobsStarted.inc({ kind: record.kind });
    this.metrics?.jobsActive.inc();
    const run = async (): Promise<void> => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const at = this.now();
      await this.store.markRunning(record.id, at.toISOString(), new Date(at.getTime() + this.leaseMs).toISOString());
      let status: 'succeeded' | 'failed';
      let code = '';
      try {
        const result = await handler(record.input, { jobId: record.id, attempt: record.attempt, identity: access.identity, access, log, signal: controller.signal });
        status = 'succeeded';
        await this.store.finish(record.id, { status, result: result ?? null, at: this.now().toISOString() });
      } catch (err) {
        status = 'failed';
        let problem: Problem;
        if (isProblem(err)) {
          problem = err;
        } else {
          log.error({ err }, 'job failed with an unexpected error');
          problem = internalProblem();
        }
        code = problem.code;
        await this.store.finish(record.id, { status, error: problem.toJobError(), at: this.now().toISOString() });
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics?.jobsFinished.inc({ kind: record.kind, status, code });
      this.metrics?.jobDuration.observe({ kind: record.kind, status }, seconds);
      log.info({ status, code: code || undefined, duration_ms: Math.round(seconds * 1000) }, 'job finished');
    };
    const done = run()
      .catch((err: unknown) => log.error({ err }, 'could not record the end of a job'))
      .finally(() => {
        this.active.delete(record.id);
        this.metrics?.jobsActive.dec();
      });
    this.active.set(record.id, { controller, done });
  }

  /** A queued/running job whose lease passed is reported (and stored) as interrupted. */
  private async refreshed(record: JobRecord | undefined): Promise<JobRecord | undefined> {
    if (!record || isFinal(record.status) || this.active.has(record.id)) return record;
    const now = this.now().toISOString();
    if (record.lease_until !== null && record.lease_until >= now) return record;
    await this.store.interruptUnfinished({
      service: this.service,
      at: now,
      error: interrupted('the process running the job stopped before it finished'),
      leaseExpiredBefore: now,
      ids: [record.id],
    });
    return this.store.get(this.service, record.id);
  }

  private async renewLeases(): Promise<void> {
    const ids = [...this.active.keys()];
    if (ids.length === 0) return;
    try {
      await this.store.renewLeases(ids, new Date(this.now().getTime() + this.leaseMs).toISOString());
    } catch (err) {
      this.log.warn({ err }, 'could not renew job leases');
    }
  }
}

function interrupted(detail: string) {
  return new Problem('Job.Interrupted', { detail }).toJobError();
}
