import type Database from 'better-sqlite3';
import { migrateSqlite } from '../../../kit/state/sqlite/sqlite-migrate.js';
import { withSqliteTransaction } from '../../../kit/state/sqlite/sqlite-transaction.js';
import type { Bookmark, HistoryEntry, Mutation, NewHistoryEntry, Run, Snapshot } from '../../domain/types.js';
import type { BookmarkStore, HistoryQuery, StoreHooks } from '../types.js';
import { SQLITE_BOOKMARK_MIGRATIONS } from './sqlite-bookmark-migrations.js';

type BookmarkRow = Omit<Bookmark, 'state'> & { state: string };
type RunRow = Omit<Run, 'options' | 'result' | 'state_before' | 'state_after' | 'advanced'> & {
  options: string;
  result: string | null;
  state_before: string;
  state_after: string | null;
  advanced: number | null;
};
type HistoryRow = Omit<HistoryEntry, 'detail'> & { detail: string };

const RUN_SUMMARY = 'bookmark, run_id, status, options, NULL AS result, state_before, state_after, advanced, begun_at, begun_by, ended_at, ended_by';

export class SqliteBookmarkStore implements BookmarkStore {
  constructor(
    private readonly db: Database.Database,
    private readonly hooks: StoreHooks = {},
  ) {}

  async migrate(): Promise<void> {
    migrateSqlite(this.db, 'bookmarks', SQLITE_BOOKMARK_MIGRATIONS);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async get(name: string): Promise<Bookmark | undefined> {
    return this.readBookmark(name);
  }

  async list(): Promise<Bookmark[]> {
    return (this.db.prepare('SELECT * FROM bookmarks ORDER BY name').all() as BookmarkRow[]).map(bookmarkFromRow);
  }

  async getRun(name: string, runId: string): Promise<Run | undefined> {
    const row = this.db.prepare('SELECT * FROM bookmark_runs WHERE bookmark = ? AND run_id = ?').get(name, runId) as RunRow | undefined;
    return row && runFromRow(row);
  }

  async listRuns(name: string, limit: number): Promise<Array<Omit<Run, 'result'>>> {
    const rows = this.db
      .prepare(`SELECT ${RUN_SUMMARY} FROM bookmark_runs WHERE bookmark = ? ORDER BY begun_at DESC, run_id DESC LIMIT ?`)
      .all(name, limit) as RunRow[];
    return rows.map((r) => {
      const { result: _result, ...rest } = runFromRow(r);
      return rest;
    });
  }

  async history(name: string, query: HistoryQuery): Promise<HistoryEntry[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM bookmark_history WHERE bookmark = ? AND id < ? AND (? IS NULL OR action = ?) ORDER BY id DESC LIMIT ?`,
      )
      .all(name, query.beforeId ?? Number.MAX_SAFE_INTEGER, query.action ?? null, query.action ?? null, query.limit) as HistoryRow[];
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  async appendHistory(entry: NewHistoryEntry): Promise<void> {
    this.insertHistory(entry);
  }

  async transact<R>(name: string, runIds: readonly string[], decide: (snap: Snapshot) => Mutation<R>): Promise<R> {
    // IMMEDIATE takes the write lock before reading: the per-bookmark lock, and more.
    return withSqliteTransaction(this.db, 'immediate', () => {
      const bookmark = this.readBookmark(name);
      const runs = new Map<string, Run>();
      const ids = new Set(runIds);
      if (bookmark?.inflight_run_id) ids.add(bookmark.inflight_run_id);
      for (const id of ids) {
        const row = this.db.prepare('SELECT * FROM bookmark_runs WHERE bookmark = ? AND run_id = ?').get(name, id) as RunRow | undefined;
        if (row) runs.set(id, runFromRow(row));
      }
      const mutation = decide({ bookmark, runs });
      if (mutation.bookmark) this.writeBookmark(mutation.bookmark);
      if (mutation.bookmark || mutation.runs?.length) this.hooks.midTransaction?.((mutation.history ?? []).map((h) => h.action));
      for (const run of mutation.runs ?? []) this.writeRun(run);
      for (const h of mutation.history ?? []) this.insertHistory(h);
      return mutation.result;
    });
  }

  private readBookmark(name: string): Bookmark | undefined {
    const row = this.db.prepare('SELECT * FROM bookmarks WHERE name = ?').get(name) as BookmarkRow | undefined;
    return row && bookmarkFromRow(row);
  }

  private writeBookmark(b: Bookmark): void {
    this.db
      .prepare(
        `INSERT INTO bookmarks (name, source, status, state, inflight_run_id, last_committed_run_id, created_at, updated_at)
         VALUES (@name, @source, @status, @state, @inflight_run_id, @last_committed_run_id, @created_at, @updated_at)
         ON CONFLICT (name) DO UPDATE SET source = excluded.source, status = excluded.status, state = excluded.state,
           inflight_run_id = excluded.inflight_run_id, last_committed_run_id = excluded.last_committed_run_id,
           updated_at = excluded.updated_at`,
      )
      .run({ ...b, state: JSON.stringify(b.state) });
  }

  private writeRun(r: Run): void {
    this.db
      .prepare(
        `INSERT INTO bookmark_runs (bookmark, run_id, status, options, result, state_before, state_after, advanced, begun_at, begun_by, ended_at, ended_by)
         VALUES (@bookmark, @run_id, @status, @options, @result, @state_before, @state_after, @advanced, @begun_at, @begun_by, @ended_at, @ended_by)
         ON CONFLICT (bookmark, run_id) DO UPDATE SET status = excluded.status, options = excluded.options, result = excluded.result,
           state_before = excluded.state_before, state_after = excluded.state_after, advanced = excluded.advanced,
           begun_at = excluded.begun_at, begun_by = excluded.begun_by, ended_at = excluded.ended_at, ended_by = excluded.ended_by`,
      )
      .run({
        ...r,
        options: JSON.stringify(r.options),
        result: r.result === null ? null : JSON.stringify(r.result),
        state_before: JSON.stringify(r.state_before),
        state_after: r.state_after === null ? null : JSON.stringify(r.state_after),
        advanced: r.advanced === null ? null : r.advanced ? 1 : 0,
      });
  }

  private insertHistory(h: NewHistoryEntry): void {
    this.db
      .prepare('INSERT INTO bookmark_history (bookmark, at, actor, action, run_id, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(h.bookmark, h.at, h.actor, h.action, h.run_id, JSON.stringify(h.detail));
  }
}

function bookmarkFromRow(row: BookmarkRow): Bookmark {
  return { ...row, state: JSON.parse(row.state) };
}

function runFromRow(row: RunRow): Run {
  return {
    ...row,
    options: JSON.parse(row.options),
    result: row.result === null ? null : JSON.parse(row.result),
    state_before: JSON.parse(row.state_before),
    state_after: row.state_after === null ? null : JSON.parse(row.state_after),
    advanced: row.advanced === null ? null : row.advanced === 1,
  };
}
