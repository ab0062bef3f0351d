import type Database from 'better-sqlite3';
import type { ProblemDocument } from '../../errors/http-problem.js';
import type { FinishFields, InsertOutcome, JobRecord, JobStore, JobStatus } from '../types.js';

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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  kind TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('queued','running','succeeded','failed')),
  attempt INTEGER NOT NULL,
  idempotency_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  input TEXT NOT NULL,
  result TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  lease_until TEXT,
  UNIQUE (service, owner, idempotency_key, attempt)
);
CREATE INDEX IF NOT EXISTS jobs_unfinished ON jobs (service, status) WHERE status IN ('queued','running');
`;

/** Jobs in an embedded SQLite file: one process owns it (`exclusive`). */
export class SqliteJobStore implements JobStore {
  readonly capabilities = { exclusive: true } as const;

  constructor(private readonly db: Database.Database) {}

  async migrate(): Promise<void> {
    this.db.transaction(() => {
      const columns = this.db.prepare(`SELECT name FROM pragma_table_info('jobs')`).all() as Array<{ name: string }>;
      // A table from before owners: rebuilt, since SQLite cannot drop its UNIQUE (service, idempotency_key, attempt).
      // Its rows keep owner '' and stay readable and replayable by every identity.
      if (columns.length > 0 && !columns.some((c) => c.name === 'owner')) this.db.exec('ALTER TABLE jobs RENAME TO jobs_before_owner');
      this.db.exec(SCHEMA);
      if (columns.length > 0 && !columns.some((c) => c.name === 'owner')) {
        const names = columns.map((c) => c.name).join(', ');
        this.db.exec(`INSERT INTO jobs (${names}) SELECT ${names} FROM jobs_before_owner; DROP TABLE jobs_before_owner;`);
      }
    })();
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
    this.db.transaction(() => {
      for (const id of ids) stmt.run(leaseUntil, id);
    })();
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
