import type pg from 'pg';
import { migratePostgres } from '../../../kit/state/postgres/postgres-migrate.js';
import { withPgTransaction } from '../../../kit/state/postgres/postgres-transaction.js';
import type { Bookmark, HistoryEntry, Mutation, NewHistoryEntry, Run, Snapshot } from '../../domain/types.js';
import type { BookmarkStore, HistoryQuery, StoreHooks } from '../types.js';
import { POSTGRES_BOOKMARK_MIGRATIONS } from './postgres-bookmark-migrations.js';

const RUN_SUMMARY = 'bookmark, run_id, status, options, state_before, state_after, advanced, begun_at, begun_by, ended_at, ended_by';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** Bookmarks in a shared PostgreSQL; a transaction-scoped advisory lock per bookmark name serialises transitions across replicas. */
export class PostgresBookmarkStore implements BookmarkStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly hooks: StoreHooks = {},
  ) {}

  async migrate(): Promise<void> {
    await migratePostgres(this.pool, 'bookmarks', POSTGRES_BOOKMARK_MIGRATIONS);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async get(name: string): Promise<Bookmark | undefined> {
    return readBookmark(this.pool, name);
  }

  async list(): Promise<Bookmark[]> {
    return (await this.pool.query<Bookmark>('SELECT * FROM bookmarks ORDER BY name')).rows;
  }

  async getRun(name: string, runId: string): Promise<Run | undefined> {
    return (await this.pool.query<Run>('SELECT * FROM bookmark_runs WHERE bookmark = $1 AND run_id = $2', [name, runId])).rows[0];
  }

  async listRuns(name: string, limit: number): Promise<Array<Omit<Run, 'result'>>> {
    const res = await this.pool.query<Omit<Run, 'result'>>(
      `SELECT ${RUN_SUMMARY} FROM bookmark_runs WHERE bookmark = $1 ORDER BY begun_at DESC, run_id DESC LIMIT $2`,
      [name, limit],
    );
    return res.rows;
  }

  async history(name: string, query: HistoryQuery): Promise<HistoryEntry[]> {
    const res = await this.pool.query<HistoryEntry & { id: string }>(
      `SELECT * FROM bookmark_history WHERE bookmark = $1 AND id < $2 AND ($3::text IS NULL OR action = $3) ORDER BY id DESC LIMIT $4`,
      [name, query.beforeId ?? Number.MAX_SAFE_INTEGER, query.action ?? null, query.limit],
    );
    return res.rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  async appendHistory(entry: NewHistoryEntry): Promise<void> {
    await insertHistory(this.pool, entry);
  }

  async transact<R>(name: string, runIds: readonly string[], decide: (snap: Snapshot) => Mutation<R>): Promise<R> {
    return withPgTransaction(this.pool, async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(hashtextextended('dagwright.bookmark:' || $1, 0))`, [name]);
      const bookmark = await readBookmark(c, name);
      const ids = new Set(runIds);
      if (bookmark?.inflight_run_id) ids.add(bookmark.inflight_run_id);
      const runs = new Map<string, Run>();
      if (ids.size > 0) {
        const res = await c.query<Run>('SELECT * FROM bookmark_runs WHERE bookmark = $1 AND run_id = ANY($2::text[])', [name, [...ids]]);
        for (const run of res.rows) runs.set(run.run_id, run);
      }
      const mutation = decide({ bookmark, runs });
      if (mutation.bookmark) await writeBookmark(c, mutation.bookmark);
      if (mutation.bookmark || mutation.runs?.length) this.hooks.midTransaction?.((mutation.history ?? []).map((h) => h.action));
      for (const run of mutation.runs ?? []) await writeRun(c, run);
      for (const h of mutation.history ?? []) await insertHistory(c, h);
      return mutation.result;
    });
  }
}

async function readBookmark(c: Queryable, name: string): Promise<Bookmark | undefined> {
  return (await c.query<Bookmark>('SELECT * FROM bookmarks WHERE name = $1', [name])).rows[0];
}

async function writeBookmark(c: Queryable, b: Bookmark): Promise<void> {
  await c.query(
    `INSERT INTO bookmarks (name, source, status, state, inflight_run_id, last_committed_run_id, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
     ON CONFLICT (name) DO UPDATE SET source = EXCLUDED.source, status = EXCLUDED.status, state = EXCLUDED.state,
       inflight_run_id = EXCLUDED.inflight_run_id, last_committed_run_id = EXCLUDED.last_committed_run_id, updated_at = EXCLUDED.updated_at`,
    [b.name, b.source, b.status, JSON.stringify(b.state), b.inflight_run_id, b.last_committed_run_id, b.created_at, b.updated_at],
  );
}

async function writeRun(c: Queryable, r: Run): Promise<void> {
  await c.query(
    `INSERT INTO bookmark_runs (bookmark, run_id, status, options, result, state_before, state_after, advanced, begun_at, begun_by, ended_at, ended_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
     ON CONFLICT (bookmark, run_id) DO UPDATE SET status = EXCLUDED.status, options = EXCLUDED.options, result = EXCLUDED.result,
       state_before = EXCLUDED.state_before, state_after = EXCLUDED.state_after, advanced = EXCLUDED.advanced,
       begun_at = EXCLUDED.begun_at, begun_by = EXCLUDED.begun_by, ended_at = EXCLUDED.ended_at, ended_by = EXCLUDED.ended_by`,
    [
      r.bookmark,
      r.run_id,
      r.status,
      JSON.stringify(r.options),
      r.result === null ? null : JSON.stringify(r.result),
      JSON.stringify(r.state_before),
      r.state_after === null ? null : JSON.stringify(r.state_after),
      r.advanced,
      r.begun_at,
      r.begun_by,
      r.ended_at,
      r.ended_by,
    ],
  );
}

async function insertHistory(c: Queryable, h: NewHistoryEntry): Promise<void> {
  await c.query('INSERT INTO bookmark_history (bookmark, at, actor, action, run_id, detail) VALUES ($1,$2,$3,$4,$5,$6)', [
    h.bookmark,
    h.at,
    h.actor,
    h.action,
    h.run_id,
    JSON.stringify(h.detail),
  ]);
}
