/**
 * Crash tests: a real loader process is killed (SIGKILL) in the middle of a
 * load, on both write paths: while the COPY streams (into the staging table,
 * or straight into the table), after every statement ran but before COMMIT,
 * and after COMMIT but before the job recorded its result. The
 * table never shows part of the batch; after the retry (same Idempotency-Key,
 * a new process) it holds the batch exactly once (the last case: the ledger
 * answers, `replayed: true`).
 * Runs on every conformance target (DAGWRIGHT_LOADER_TARGETS filters).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadCheckpoint } from './hooks.js';
import { LoaderProcess } from '../testing/process.js';
import { csv, S3Fixture } from '../testing/s3-fixture.js';
import { conformanceTargets, type TestWarehouse } from '../testing/warehouses.js';

const s3req = S3Fixture.requirement();
const ROWS = 20_000;

for (const t of conformanceTargets()) {
  describe.skipIf(!t.available || !s3req.available)(`crash mid-load: ${t.kind}`, () => {
    let s3: S3Fixture;
    beforeAll(async () => {
      s3 = await S3Fixture.create(s3req.value);
      await s3.put('crash/batch.csv', csv(['id', 'name'], Array.from({ length: ROWS }, (_, i) => [i + 1, `new-${i + 1}`])));
    });

    /** The warehouse as the spawned loader sees it: a URL in DAGWRIGHT_WAREHOUSE_DEFAULT. */
    const warehouseUrl = (wh: TestWarehouse, appName: string): string => {
      if (wh.config.type === 'duckdb') return `duckdb:${wh.config.path}`;
      if (wh.config.type !== 'postgres') throw new Error('unexpected target');
      const u = new URL(wh.config.url.reveal());
      u.searchParams.set('schema', wh.schema);
      u.searchParams.set('ledger', `${wh.schema}.dagwright_load_ledger`);
      u.searchParams.set('application_name', appName);
      return u.toString();
    };

    /** PostgreSQL only: what the loader's session is doing, seen from another session. */
    const activity = async (wh: TestWarehouse, appName: string) => {
      if (wh.config.type !== 'postgres') return [];
      const c = new pg.Client({ connectionString: wh.config.url.reveal() });
      await c.connect();
      try {
        return (await c.query(`SELECT state, query FROM pg_stat_activity WHERE application_name = $1`, [appName])).rows as Array<{ state: string; query: string }>;
      } finally {
        await c.end();
      }
    };

    /**
     * `staged`: a merge onto 3 existing rows (or an append without keys, which
     * goes direct); `direct`: a merge into an empty table with a primary key,
     * which copies straight in.
     */
    const cases: Array<[string, LoadCheckpoint, 'append' | 'merge', 'staged' | 'direct']> = [
      ['during COPY into the staging table', 'copying', 'merge', 'staged'],
      ['during COPY straight into the table', 'copying', 'append', 'direct'],
      ['after a staged merge, before COMMIT', 'merged', 'merge', 'staged'],
      ['after a direct copy into an empty keyed table, before COMMIT', 'merged', 'merge', 'direct'],
      ['after COMMIT, before the job recorded it', 'committed', 'append', 'direct'],
    ];

    it.each(cases)('killed %s: never a partial batch; after the retry (same key), the batch exactly once', async (_name, point, mode, path) => {
      const committed = point === 'committed';
      const wh = await t.open();
      const appName = `dw-crash-${point}-${Date.now()}`;
      const table = `${wh.schema}.events`;
      const stateDir = mkdtempSync(join(tmpdir(), 'dw-crash-'));
      const stateFile = join(stateDir, 'jobs.sqlite');
      const keyedEmpty = mode === 'merge' && path === 'direct';
      const before = keyedEmpty ? 0 : 3;
      try {
        if (keyedEmpty) await wh.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, name VARCHAR(40))`);
        else {
          await wh.exec(`CREATE TABLE ${table} (id INTEGER NOT NULL, name VARCHAR(40))`);
          await wh.exec(`INSERT INTO ${table} SELECT i, 'old' FROM (VALUES (1), (2), (3)) v(i)`);
        }
        await wh.release();
        const loader = { state: stateFile, tmpDir: stateDir, env: { DAGWRIGHT_WAREHOUSE_DEFAULT: warehouseUrl(wh, appName), DAGWRIGHT_S3_ENDPOINT: s3.endpoint, DAGWRIGHT_LOADER_SECRETS: '' } };
        const body = { batch: { source: `s3://${s3.bucket}/`, objects: [{ key: 'crash/batch.csv' }] }, table, mode, ...(mode === 'merge' ? { keys: ['id'] } : {}) };
        const key = `crash/${point}/${Date.now()}/-1`;

        const first = await LoaderProcess.start({ ...loader, pauseAt: point });
        const posted = await first.post(body, key);
        expect(posted.status).toBe(202);
        await first.pausedAt(point, 30_000);
        if (wh.kind === 'postgres' && !committed) {
          const sessions = await activity(wh, appName);
          const into = path === 'staged' ? /^COPY "dw_stage_/ : new RegExp(`^COPY "${wh.schema}"\\."events" `);
          if (point === 'copying') expect(sessions).toContainEqual({ state: 'active', query: expect.stringMatching(into) });
          else expect(sessions).toContainEqual(expect.objectContaining({ state: 'idle in transaction' }));
        }
        await first.kill();

        // The dead session's transaction is rolled back by the server: nothing of the batch is visible.
        // (Killed after COMMIT: the whole batch is there, and the ledger knows it.)
        expect(await wh.rows(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${table}`)).toEqual([{ n: committed ? ROWS + before : before }]);
        if (wh.kind === 'postgres') {
          for (let i = 0; i < 50 && (await activity(wh, appName)).length > 0; i++) await sleep(100);
          expect(await activity(wh, appName)).toEqual([]);
        }
        await wh.release();

        const second = await LoaderProcess.start(loader);
        try {
          expect(await second.job(posted.job.id)).toMatchObject({ status: 'failed', error: { code: 'Job.Interrupted', retryable: true } });
          const retry = await second.post(body, key);
          expect(retry.status).toBe(202);
          expect(retry.job.attempt).toBe(2);
          const done = await second.waitJob(retry.job.id);
          expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
          expect(done.result).toMatchObject(
            mode === 'append'
              ? { rows_loaded: ROWS, rows_inserted: ROWS, replayed: committed }
              : { rows_loaded: ROWS, rows_inserted: ROWS - before, rows_updated: before, replayed: false },
          );
        } finally {
          await second.stop();
        }
        const total = mode === 'append' ? ROWS + 3 : ROWS;
        expect(await wh.rows(`SELECT CAST(COUNT(*) AS INTEGER) AS n, CAST(COUNT(DISTINCT id) AS INTEGER) AS ids, CAST(SUM(CASE WHEN name LIKE 'new-%' THEN 1 ELSE 0 END) AS INTEGER) AS new FROM ${table}`)).toEqual([
          { n: total, ids: ROWS, new: ROWS },
        ]);
      } finally {
        await wh.dispose();
        rmSync(stateDir, { recursive: true, force: true });
      }
    });
  });
}
