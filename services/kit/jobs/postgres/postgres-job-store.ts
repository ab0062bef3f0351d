import type pg from 'pg';
import type { ProblemDocument } from '../../errors/problem.js';
import { migratePostgres } from '../../state/postgres/postgres-migrate.js';
import type { FinishFields, InsertOutcome, JobRecord, JobStore, JobStatus } from '../types.js';
import { POSTGRES_JOB_MIGRATIONS } from './postgres-job-migrations.js';

interface Row {
  id: string;
  service: string;
  kind: string;
  owner: string;
  status: JobStatus;
  attempt: number;
  idempotency_key: string;
  fingerprint: string;
  input: unknown;
  result: unknown;
  error: ProblemDocument | null;
  created_at: string;
  updated_at: string;
  lease_until: string | null;
}

/** Jobs in a shared PostgreSQL: several replicas use it, so leases decide who is dead. */
export class PostgresJobStore implements JobStore {
  readonly capabilities = { exclusive: false } as const;

  constructor(private readonly pool: pg.Pool) {}

  async migrate(): Promise<void> {
    await migratePostgres(this.pool, 'jobs', POSTGRES_JOB_MIGRATIONS);
  }

  async insert(job: JobRecord): Promise<InsertOutcome> {
    const res = await this.pool.query(
      `INSERT INTO jobs (id, service, kind, owner, status, attempt, idempotency_key, fingerprint, input, result, error, created_at, updated_at, lease_until)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
       ON CONFLICT (service, owner, idempotency_key, attempt) DO NOTHING`,
      [
        job.id,
        job.service,
        job.kind,
        job.owner,
        job.status,
        job.attempt,
        job.idempotency_key,
        job.fingerprint,
        JSON.stringify(job.input ?? null),
        job.result === null || job.result === undefined ? null : JSON.stringify(job.result),
        job.error === null ? null : JSON.stringify(job.error),
        job.created_at,
        job.updated_at,
        job.lease_until,
      ],
    );
    if (res.rowCount === 1) return { inserted: true };
    const existing = await this.pool.query<Row>(
      'SELECT * FROM jobs WHERE service = $1 AND owner = $2 AND idempotency_key = $3 AND attempt = $4',
      [job.service, job.owner, job.idempotency_key, job.attempt],
    );
    return { inserted: false, existing: fromRow(existing.rows[0] as Row) };
  }

  async get(service: string, id: string): Promise<JobRecord | undefined> {
    const res = await this.pool.query<Row>('SELECT * FROM jobs WHERE service = $1 AND id = $2', [service, id]);
    return res.rows[0] && fromRow(res.rows[0]);
  }

  async latestForKey(service: string, owner: string, key: string): Promise<JobRecord | undefined> {
    const res = await this.pool.query<Row>(
      `SELECT * FROM jobs WHERE service = $1 AND owner IN ($2, '') AND idempotency_key = $3 ORDER BY attempt DESC, owner DESC LIMIT 1`,
      [service, owner, key],
    );
    return res.rows[0] && fromRow(res.rows[0]);
  }

  async markRunning(id: string, at: string, leaseUntil: string): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE jobs SET status = 'running', updated_at = $1, lease_until = $2 WHERE id = $3 AND status = 'queued'`,
      [at, leaseUntil, id],
    );
    return res.rowCount === 1;
  }

  async finish(id: string, fields: FinishFields): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE jobs SET status = $1, result = $2, error = $3, updated_at = $4, lease_until = NULL
       WHERE id = $5 AND status IN ('queued','running')`,
      [
        fields.status,
        fields.result === undefined ? null : JSON.stringify(fields.result),
        fields.error === undefined ? null : JSON.stringify(fields.error),
        fields.at,
        id,
      ],
    );
    return res.rowCount === 1;
  }

  async renewLeases(ids: readonly string[], leaseUntil: string): Promise<void> {
    await this.pool.query(
      `UPDATE jobs SET lease_until = $1 WHERE id = ANY($2::text[]) AND status IN ('queued','running')`,
      [leaseUntil, ids],
    );
  }

  async interruptUnfinished(options: {
    service: string;
    at: string;
    error: ProblemDocument;
    leaseExpiredBefore?: string;
    ids?: readonly string[];
  }): Promise<number> {
    const clauses = [`service = $3`, `status IN ('queued','running')`];
    const args: unknown[] = [JSON.stringify(options.error), options.at, options.service];
    if (options.leaseExpiredBefore !== undefined) {
      args.push(options.leaseExpiredBefore);
      clauses.push(`(lease_until IS NULL OR lease_until < $${args.length})`);
    }
    if (options.ids) {
      if (options.ids.length === 0) return 0;
      args.push(options.ids);
      clauses.push(`id = ANY($${args.length}::text[])`);
    }
    const res = await this.pool.query(
      `UPDATE jobs SET status = 'failed', error = $1, updated_at = $2, lease_until = NULL WHERE ${clauses.join(' AND ')}`,
      args,
    );
    return res.rowCount ?? 0;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }
}

function fromRow(row: Row): JobRecord {
  return { ...row, result: row.result ?? null, error: row.error ?? null };
}
