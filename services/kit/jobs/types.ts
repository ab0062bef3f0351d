import type { ProblemDocument } from '../errors/problem.js';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export const FINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed'];

export function isFinal(status: JobStatus): boolean {
  return status === 'succeeded' || status === 'failed';
}

/** The job as the protocol shows it (`GET /v1/jobs/{id}`). */
export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  attempt: number;
  created_at: string;
  updated_at: string;
  result?: unknown;
  error?: ProblemDocument;
}

/** The job as a store keeps it. Timestamps are ISO-8601 UTC strings. */
export interface JobRecord {
  readonly id: string;
  readonly service: string;
  readonly kind: string;
  /**
   * The identity that created the job; its idempotency key is its own. `''` marks a job
   * stored before jobs had owners: any identity may still read and replay those.
   */
  readonly owner: string;
  readonly status: JobStatus;
  readonly attempt: number;
  readonly idempotency_key: string;
  /** Canonical JSON of what the key was used with (method, path, body). */
  readonly fingerprint: string;
  readonly input: unknown;
  readonly result: unknown;
  readonly error: ProblemDocument | null;
  readonly created_at: string;
  readonly updated_at: string;
  /** A queued or running job whose lease passes is taken for dead. */
  readonly lease_until: string | null;
}

export type InsertOutcome = { readonly inserted: true } | { readonly inserted: false; readonly existing: JobRecord };

export interface FinishFields {
  readonly status: 'succeeded' | 'failed';
  readonly result?: unknown;
  readonly error?: ProblemDocument;
  readonly at: string;
}

export interface StoreCapabilities {
  /**
   * True when only this process uses the store (an embedded SQLite file), so
   * every unfinished job found at start-up belongs to a dead process. False
   * for shared stores (PostgreSQL behind several replicas), where only jobs
   * whose lease ran out are taken for dead.
   */
  readonly exclusive: boolean;
}

/** Persistence for jobs. One implementation per backend; one conformance suite for all. */
export interface JobStore {
  readonly capabilities: StoreCapabilities;
  migrate(): Promise<void>;
  /** Inserts unless (service, owner, idempotency_key, attempt) exists; then returns that job. */
  insert(job: JobRecord): Promise<InsertOutcome>;
  get(service: string, id: string): Promise<JobRecord | undefined>;
  /** The highest attempt for an owner's key (jobs without owner, `''`, count for every owner). */
  latestForKey(service: string, owner: string, key: string): Promise<JobRecord | undefined>;
  /** queued → running; false when the job is no longer queued. */
  markRunning(id: string, at: string, leaseUntil: string): Promise<boolean>;
  /** Sets a final status, only if the job is not final yet; false otherwise. */
  finish(id: string, fields: FinishFields): Promise<boolean>;
  renewLeases(ids: readonly string[], leaseUntil: string): Promise<void>;
  /**
   * Fails every unfinished job of a service (or, with `leaseExpiredBefore`,
   * only those whose lease ended before it) with `error`. Returns how many.
   */
  interruptUnfinished(options: {
    readonly service: string;
    readonly at: string;
    readonly error: ProblemDocument;
    readonly leaseExpiredBefore?: string;
    readonly ids?: readonly string[];
  }): Promise<number>;
  ping(): Promise<void>;
}

/** Whether `identity` may see the job: it is its own, or it predates owners. */
export function ownedBy(record: JobRecord, identity: string): boolean {
  return record.owner === identity || record.owner === '';
}

export function toWire(record: JobRecord): Job {
  const job: Job = {
    id: record.id,
    kind: record.kind,
    status: record.status,
    attempt: record.attempt,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
  if (record.status === 'succeeded') job.result = record.result ?? null;
  if (record.status === 'failed' && record.error) job.error = record.error;
  return job;
}
