import type Database from 'better-sqlite3';
import type { ProblemDocument } from '../../errors/problem.js';
import { migrateSqlite } from '../../state/sqlite/sqlite-migrate.js';
import { withSqliteTransaction } from '../../state/sqlite/sqlite-transaction.js';
import type { FinishFields, InsertOutcome, JobRecord, JobStore, JobStatus } from '../types.js';
import { SQLITE_JOB_MIGRATIONS } from './sqlite-job-migrations.js';

interface Row {
  id: string;
  service: string;
  kind: string;
  owner: string;
  status: JobStatus;
  attempt: number;
  idempotency_key: string;
  fingerprint: string;
  input: string;
  result: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  lease_until: string | null;
}

/** Jobs in an embedded SQLite file: one process owns it (`exclusive`). */
export class SqliteJobStore implements JobStore {
  readonly capabilities = { exclusive: true } as const;

  constructor(private readonly db: Database.Database) {}

  async migrate(): Promise<void> {
    migrateSqlite(this.db, 'jobs', SQLITE_JOB_MIGRATIONS);
  }

  async insert(job: JobRecord): Promise<InsertOutcome> {
    const info = this.db
      .prepare(
        `INSERT INTO jobs (id, service, kind, owner, status, attempt, idempotency_key, fingerprint, input, result, error, created_at, updated_at, lease_until)
         VALUES (@id, @service, @kind, @owner, @status, @attempt, @idempotency_key, @fingerprint, @input, @result, @error, @created_at, @updated_at, @lease_until)
         ON CONFLICT (service, owner, idempotency_key, attempt) DO NOTHING`,
      )
      .run(toRow(job));
    if (info.changes === 1) return { inserted: true };
    const existing = this.db
      .prepare('SELECT * FROM jobs WHERE service = ? AND owner = ? AND idempotency_key = ? AND attempt = ?')
      .get(job.service, job.owner, job.idempotency_key, job.attempt) as Row;
    return { inserted: false, existing: fromRow(existing) };
  }

  async get(service: string, id: string): Promise<JobRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM jobs WHERE service = ? AND id = ?').get(service, id) as Row | undefined;
    return row && fromRow(row);
  }

  async latestForKey(service: string, owner: string, key: string): Promise<JobRecord | undefined> {
    const row = this.db
      .prepare(`SELECT * FROM jobs WHERE service = ? AND owner IN (?, '') AND idempotency_key = ? ORDER BY attempt DESC, owner DESC LIMIT 1`)
      .get(service, owner, key) as Row | undefined;
    return row && fromRow(row);
  }

  async markRunning(id: string, at: string, leaseUntil: string): Promise<boolean> {
    const info = this.db
      .prepare(`UPDATE jobs SET status = 'running', updated_at = ?, lease_until = ? WHERE id = ? AND status = 'queued'`)
      .run(at, leaseUntil, id);
    return info.changes === 1;
  }

  async finish(id: string, fields: FinishFields): Promise<boolean> {
    const info = this.db
      .prepare(
        `UPDATE jobs SET status = ?, result = ?, error = ?, updated_at = ?, lease_until = NULL
         WHERE id = ? AND status IN ('queued','running')`,
      )
      .run(
        fields.status,
        fields.result === undefined ? null : JSON.stringify(fields.result),
        fields.error === undefined ? null : JSON.stringify(fields.error),
        fields.at,
        id,
      );
    return info.changes === 1;
  }

  async renewLeases(ids: readonly string[], leaseUntil: string): Promise<void> {
    const stmt = this.db.prepare(`UPDATE jobs SET lease_until = ? WHERE id = ? AND status IN ('queued','running')`);
    withSqliteTransaction(this.db, 'deferred', () => {
      for (const id of ids) stmt.run(leaseUntil, id);
    });
  }

  async interruptUnfinished(options: {
    service: string;
    at: string;
    error: ProblemDocument;
    leaseExpiredBefore?: string;
    ids?: readonly string[];
  }): Promise<number> {
    const clauses = [`service = ?`, `status IN ('queued','running')`];
    const args: unknown[] = [options.service];
    if (options.leaseExpiredBefore !== undefined) {
      clauses.push('(lease_until IS NULL OR lease_until < ?)');
      args.push(options.leaseExpiredBefore);
    }
    if (options.ids) {
      if (options.ids.length === 0) return 0;
      clauses.push(`id IN (${options.ids.map(() => '?').join(',')})`);
      args.push(...options.ids);
    }
    const info = this.db
      .prepare(`UPDATE jobs SET status = 'failed', error = ?, updated_at = ?, lease_until = NULL WHERE ${clauses.join(' AND ')}`)
      .run(JSON.stringify(options.error), options.at, ...args);
    return info.changes;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }
}

function toRow(job: JobRecord): Row {
  return {
    ...job,
    input: JSON.stringify(job.input ?? null),
    result: job.result === null || job.result === undefined ? null : JSON.stringify(job.result),
    error: job.error === null ? null : JSON.stringify(job.error),
  };
}

function fromRow(row: Row): JobRecord {
  return {
    ...row,
    input: JSON.parse(row.input),
    result: row.result === null ? null : JSON.parse(row.result),
    error: row.error === null ? null : (JSON.parse(row.error) as ProblemDocument),
  };
}
