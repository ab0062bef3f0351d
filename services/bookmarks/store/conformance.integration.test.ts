/**
 * One conformance suite for every BookmarkStore backend (SQLite and
 * PostgreSQL), driven through the BookmarkService with an in-memory bucket.
 * PostgreSQL comes from DAGWRIGHT_PG_URL; with CI=true a missing URL fails.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { StateBackend } from '../../kit/state/open-state.js';
import { dropSchemaVersions, schemaVersions, testBackends } from '../../kit/testing/backends.js';
import type { S3Batch, TableBatch } from '../domain/types.js';
import { MemoryBucket } from '../testing/memory-bucket.js';
import { BookmarkService } from '../domain/bookmark-service.js';
import type { BeginBody } from '../domain/types.js';
import type { TableReader } from '../table/table-source.js';
import { ManualClock, version } from '../testing/bookmarks-app.js';
import { openBookmarkStore } from './open-bookmark-store.js';
import type { BookmarkStore } from './types.js';
import { beginInput } from '../domain/request.js';

const backends = testBackends({ dir: mkdtempSync(join(tmpdir(), 'dw-bm-')) });
const SOURCE = 's3://data/events/';

for (const backend of backends) {
  describe.skipIf(!backend.available)(`BookmarkStore conformance: ${backend.name}`, () => {
    let state: StateBackend;
    let store: BookmarkStore;
    let bucket: MemoryBucket;
    let clock: ManualClock;
    let svc: BookmarkService;
    let tableMax: Array<string | number> | null;

    beforeEach(async () => {
      state = await backend.open();
      store = openBookmarkStore(state);
      await store.migrate();
      await store.migrate();
      bucket = new MemoryBucket('data');
      clock = new ManualClock();
      tableMax = null;
      const reader: TableReader = { maxKey: async () => tableMax, ping: async () => undefined };
      svc = new BookmarkService({ store, lister: bucket, now: clock.now, tables: { wh: reader } });
      return () => state.close();
    });
    afterAll(() => backend.dispose());

    const begin = (runId: string, extra: Partial<BeginBody> = {}, name = 'orders') =>
      svc.begin(beginInput(name, { run_id: runId, source: SOURCE, ...extra }, svc.tableConnections), 'airflow');
    const keys = (batch: unknown) => (batch as S3Batch).objects.map((o) => o.key);

    it('adopts a database from before schema versions as version 1: its bookmarks kept', async () => {
      bucket.put(version('events/a', 1));
      const first = await begin('r1');
      await dropSchemaVersions(state);
      await store.migrate();
      expect(await schemaVersions(state, 'bookmarks')).toEqual([1]);
      expect(await begin('r1')).toEqual(first);
      expect((await svc.get('orders')).inflight_run_id).toBe('r1');
    });

    it('begin creates the bookmark and returns the batch; a retry gets the same batch', async () => {
      bucket.put(version('events/a', 1));
      const first = await begin('r1');
      expect(keys(first.batch)).toEqual(['events/a']);
      expect((first.batch as S3Batch).total_bytes).toBe(100);
      bucket.put(version('events/b', 2));
      expect(await begin('r1')).toEqual(first);
      expect((await svc.get('orders')).inflight_run_id).toBe('r1');
    });

    it('a second run while one is in flight → 409 Bookmark.RunInProgress; nothing changes', async () => {
      await begin('r1');
      const before = await svc.get('orders');
      await expect(begin('r2')).rejects.toMatchObject({ code: 'Bookmark.RunInProgress', status: 409 });
      expect(await svc.get('orders')).toEqual(before);
      expect(await store.getRun('orders', 'r2')).toBeUndefined();
    });

    it('concurrent begins of different runs: exactly one wins', async () => {
      bucket.put(version('events/a', 1));
      const outcomes = await Promise.allSettled(['r1', 'r2', 'r3', 'r4', 'r5'].map((r) => begin(r)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'Bookmark.RunInProgress' });
    });

    it('commit advances; a committed run is not picked again; commit replays are harmless', async () => {
      bucket.put(version('events/a', 1));
      await begin('r1');
      const after = await svc.commit('orders', 'r1', 'airflow');
      expect(after).toMatchObject({ inflight_run_id: null, last_committed_run_id: 'r1', state: { kind: 's3', high: version('x', 1).last_modified } });
      expect(await svc.commit('orders', 'r1', 'airflow')).toEqual(after);
      bucket.put(version('events/b', 2));
      expect(keys((await begin('r2')).batch)).toEqual(['events/b']);
      expect(keys((await begin('r1')).batch)).toEqual(['events/a']); // a committed run's batch, replayed
    });

    it.each([
      ['a run that never began', 'orders', 'nope', 'Bookmark.RunNotFound'],
      ['an unknown bookmark', 'missing', 'r1', 'Bookmark.NotFound'],
    ])('commit of %s is refused and nothing changes', async (_name, bookmark, run, code) => {
      await begin('r1');
      const before = await svc.get('orders');
      await expect(svc.commit(bookmark, run, 'airflow')).rejects.toMatchObject({ code });
      expect(await svc.get('orders')).toEqual(before);
    });

    it('a different source for an existing bookmark is refused', async () => {
      await begin('r1');
      await expect(begin('r2', { source: 's3://data/other/' })).rejects.toMatchObject({ code: 'Request.Invalid', errors: [{ path: '/source' }] });
    });

    it('pause reads without advancing; disable refuses; enable resumes', async () => {
      bucket.put(version('events/a', 1));
      await svc.setStatus('orders', 'paused', 'admin').catch(() => undefined); // unknown yet
      await begin('r0');
      await svc.commit('orders', 'r0', 'airflow');
      bucket.put(version('events/b', 2));
      await svc.setStatus('orders', 'paused', 'admin');
      expect(keys((await begin('r1')).batch)).toEqual(['events/b']);
      const paused = await svc.commit('orders', 'r1', 'airflow');
      expect(paused.state).toEqual((await store.getRun('orders', 'r0'))?.state_after);
      expect((await store.getRun('orders', 'r1'))?.advanced).toBe(false);
      expect(keys((await begin('r2')).batch)).toEqual(['events/b']);
      await svc.commit('orders', 'r2', 'airflow');
      await svc.setStatus('orders', 'disabled', 'admin');
      await expect(begin('r3')).rejects.toMatchObject({ code: 'Bookmark.Disabled', status: 409 });
      await svc.setStatus('orders', 'enabled', 'admin');
      expect(keys((await begin('r3')).batch)).toEqual(['events/b']);
    });

    it('reset forgets the marks and abandons the in-flight run; rewind goes back to a committed run', async () => {
      bucket.put(version('events/a', 1));
      await begin('r1');
      await svc.commit('orders', 'r1', 'airflow');
      bucket.put(version('events/b', 20));
      await begin('r2');
      await svc.commit('orders', 'r2', 'airflow');
      bucket.put(version('events/c', 40));
      await begin('r3');
      const rewound = await svc.rewind('orders', 'r1', 'admin');
      expect(rewound.inflight_run_id).toBeNull();
      await expect(svc.commit('orders', 'r3', 'airflow')).rejects.toMatchObject({ code: 'Bookmark.RunNotFound' });
      expect(keys((await begin('r4')).batch)).toEqual(['events/b', 'events/c']);
      await expect(svc.rewind('orders', 'r4', 'admin')).rejects.toMatchObject({ code: 'Bookmark.RunNotFound' });
      await svc.reset('orders', 'admin');
      expect(keys((await begin('r5')).batch)).toEqual(['events/a', 'events/b', 'events/c']);
    });

    it('abandon frees the slot; the abandoned run cannot commit', async () => {
      await begin('r1');
      await svc.abandon('orders', 'r1', 'admin');
      await expect(svc.commit('orders', 'r1', 'airflow')).rejects.toMatchObject({ code: 'Bookmark.RunNotFound' });
      await begin('r2');
    });

    it('keeps a history of every transition with who and when, newest first, pageable and filterable', async () => {
      bucket.put(version('events/a', 1));
      await begin('r1');
      clock.advance(1000);
      await svc.commit('orders', 'r1', 'airflow');
      clock.advance(1000);
      await svc.setStatus('orders', 'paused', 'admin');
      const all = await svc.history('orders', { limit: 10 });
      expect(all.map((h) => [h.action, h.actor, h.run_id])).toEqual([
        ['paused', 'admin', null],
        ['run.committed', 'airflow', 'r1'],
        ['run.begun', 'airflow', 'r1'],
        ['created', 'airflow', null],
      ]);
      expect(all[0]?.at).toBe('2026-01-01T00:00:02.000Z');
      expect(all[1]?.detail).toMatchObject({ advanced: true, objects: 1, total_bytes: 100 });
      const page = await svc.history('orders', { limit: 2, beforeId: all[1]?.id as number });
      expect(page.map((h) => h.action)).toEqual(['run.begun', 'created']);
      expect((await svc.history('orders', { limit: 10, action: 'run.committed' })).map((h) => h.run_id)).toEqual(['r1']);
      await expect(svc.history('missing', { limit: 1 })).rejects.toMatchObject({ code: 'Bookmark.NotFound' });
    });

    it('lists bookmarks and runs', async () => {
      await begin('r1', {}, 'a');
      await begin('r1', {}, 'b');
      expect((await svc.list()).map((b) => b.name)).toEqual(['a', 'b']);
      expect((await svc.runs('a', 10)).map((r) => [r.run_id, r.status])).toEqual([['r1', 'begun']]);
    });

    it('a transition that fails half-way writes nothing', async () => {
      await begin('r1');
      const before = await svc.get('orders');
      const failing = openBookmarkStore(state, {
        midTransaction: () => {
          throw new Error('crash in the middle');
        },
      });
      const broken = new BookmarkService({ store: failing, lister: bucket, now: clock.now });
      await expect(broken.commit('orders', 'r1', 'airflow')).rejects.toThrow('crash in the middle');
      expect(await svc.get('orders')).toEqual(before);
      expect((await store.getRun('orders', 'r1'))?.status).toBe('begun');
      expect((await svc.history('orders', { limit: 10 })).map((h) => h.action)).not.toContain('run.committed');
    });

    it('table sources: a high-watermark on strictly increasing keys, fixed at begin', async () => {
      const tbegin = (runId: string) => svc.begin(beginInput('t', { run_id: runId, source: 'table://wh/sales.orders', keys: ['id'] }, svc.tableConnections), 'airflow');
      const range = async (runId: string) => ((await tbegin(runId)).batch as TableBatch).range;
      tableMax = null;
      expect(await range('r0')).toEqual({ keys: ['id'], after: null, through: null });
      await svc.commit('t', 'r0', 'airflow');
      tableMax = [10];
      expect(await range('r1')).toEqual({ keys: ['id'], after: null, through: [10] });
      tableMax = [15];
      expect(await range('r1')).toEqual({ keys: ['id'], after: null, through: [10] });
      await svc.commit('t', 'r1', 'airflow');
      expect(await range('r2')).toEqual({ keys: ['id'], after: [10], through: [15] });
      await svc.commit('t', 'r2', 'airflow');
      expect(await range('r3')).toEqual({ keys: ['id'], after: [15], through: [15] });
    });
  });
}
