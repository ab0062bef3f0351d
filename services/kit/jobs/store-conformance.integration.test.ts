/**
 * One conformance suite for every JobStore backend (SQLite and PostgreSQL).
 * PostgreSQL comes from DAGWRIGHT_PG_URL; with CI=true a missing URL fails.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { StateBackend } from '../state/open-state.js';
import { dropSchemaVersions, schemaVersions, testBackends } from '../testing/backends.js';
import { openJobStore } from './open-job-store.js';
import type { JobRecord, JobStore } from './types.js';

const backends = testBackends({ dir: mkdtempSync(join(tmpdir(), 'dw-jobs-')) });

/** Expected capability per backend: a new backend cannot skip this silently. */
const expectedExclusive: Record<(typeof backends)[number]['name'], boolean> = { sqlite: true, postgres: false };

function job(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    id: `job_${Math.random().toString(36).slice(2)}`,
    service: 'svc',
    kind: 'thing',
    owner: 'airflow',
    status: 'queued',
    attempt: 1,
    idempotency_key: 'dag/task/run/-1',
    fingerprint: '{"a":1}',
    input: { a: 1, nested: { list: [1, 2, 3] } },
    result: null,
    error: null,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    lease_until: '2026-01-01T00:00:30.000Z',
    ...overrides,
  };
}

for (const backend of backends) {
  describe.skipIf(!backend.available)(`JobStore conformance: ${backend.name}`, () => {
    let state: StateBackend;
    let store: JobStore;

    beforeEach(async () => {
      state = await backend.open();
      store = openJobStore(state);
      await store.migrate();
      await store.migrate(); // idempotent
      return async () => state.close();
    });
    afterAll(() => backend.dispose());

    it('declares its capabilities', () => {
      expect(store.capabilities.exclusive).toBe(expectedExclusive[backend.name]);
    });

    it('inserts and reads back a job, JSON intact', async () => {
      const j = job();
      expect(await store.insert(j)).toEqual({ inserted: true });
      expect(await store.get('svc', j.id)).toEqual(j);
      expect(await store.get('other-service', j.id)).toBeUndefined();
    });

    it('refuses a second job for the same key and attempt, returning the first', async () => {
      const first = job();
      await store.insert(first);
      const second = await store.insert(job({ fingerprint: '{"b":2}' }));
      expect(second).toEqual({ inserted: false, existing: first });
    });

    it('finds the latest attempt for a key', async () => {
      await store.insert(job({ attempt: 1, status: 'failed' }));
      const two = job({ attempt: 2 });
      await store.insert(two);
      await store.insert(job({ idempotency_key: 'other' }));
      expect((await store.latestForKey('svc', 'airflow', 'dag/task/run/-1'))?.id).toBe(two.id);
      expect(await store.latestForKey('svc', 'airflow', 'missing')).toBeUndefined();
    });

    it('keeps idempotency keys per owner: the same key of two owners is two jobs', async () => {
      const mine = job({ owner: 'airflow' });
      const theirs = job({ owner: 'admin' });
      expect(await store.insert(mine)).toEqual({ inserted: true });
      expect(await store.insert(theirs)).toEqual({ inserted: true });
      expect((await store.latestForKey('svc', 'airflow', 'dag/task/run/-1'))?.id).toBe(mine.id);
      expect((await store.latestForKey('svc', 'admin', 'dag/task/run/-1'))?.id).toBe(theirs.id);
      expect(await store.latestForKey('svc', 'someone-else', 'dag/task/run/-1')).toBeUndefined();
    });

    it('adopts a database from before schema versions as version 1: its rows kept', async () => {
      const j = job();
      await store.insert(j);
      await dropSchemaVersions(state);
      await store.migrate();
      expect(await schemaVersions(state, 'jobs')).toEqual([1]);
      expect(await store.get('svc', j.id)).toEqual(j);
    });

    it('migrates a table from before owners: its rows keep working, for every owner, and keys become per owner', async () => {
      const legacy = { ...job({ owner: '', status: 'succeeded', lease_until: null }) };
      const { owner: _owner, ...legacyColumns } = legacy;
      const oldSchema = `DROP TABLE jobs; CREATE TABLE jobs (id TEXT PRIMARY KEY, service TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, attempt INTEGER NOT NULL,
        idempotency_key TEXT NOT NULL, fingerprint TEXT NOT NULL, input ${backend.name === 'postgres' ? 'JSONB' : 'TEXT'} NOT NULL, result TEXT, error TEXT,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, lease_until TEXT, UNIQUE (service, idempotency_key, attempt))`;
      const cols = Object.keys(legacyColumns);
      const values = cols.map((c) => (c === 'input' ? JSON.stringify(legacy.input) : (legacyColumns as Record<string, unknown>)[c]));
      if (state.kind === 'sqlite') {
        state.db.exec(oldSchema);
        state.db.prepare(`INSERT INTO jobs (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...values);
      } else {
        await state.pool.query(`DROP TABLE jobs CASCADE`);
        await state.pool.query(oldSchema.replace('DROP TABLE jobs; ', ''));
        await state.pool.query(`INSERT INTO jobs (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, values);
      }
      await dropSchemaVersions(state); // that table predates versions too
      await store.migrate();
      await store.migrate();
      expect(await schemaVersions(state, 'jobs')).toEqual([1]);
      expect(await store.get('svc', legacy.id)).toEqual(legacy);
      expect((await store.latestForKey('svc', 'airflow', legacy.idempotency_key))?.id).toBe(legacy.id);
      expect((await store.latestForKey('svc', 'admin', legacy.idempotency_key))?.id).toBe(legacy.id);
      // The old UNIQUE without owner is gone: two owners can now use one key for one attempt.
      expect(await store.insert(job({ owner: 'airflow', idempotency_key: 'k' }))).toEqual({ inserted: true });
      expect(await store.insert(job({ owner: 'admin', idempotency_key: 'k' }))).toEqual({ inserted: true });
    });

    it('moves queued → running → succeeded, and never out of a final status', async () => {
      const j = job();
      await store.insert(j);
      expect(await store.markRunning(j.id, '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:31.000Z')).toBe(true);
      expect(await store.markRunning(j.id, '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:31.000Z')).toBe(false);
      expect(await store.finish(j.id, { status: 'succeeded', result: { n: 1 }, at: '2026-01-01T00:00:02.000Z' })).toBe(true);
      expect(await store.finish(j.id, { status: 'failed', error: { type: 't', title: 't', code: 'X', retryable: false }, at: 'z' })).toBe(false);
      const got = await store.get('svc', j.id);
      expect(got).toMatchObject({ status: 'succeeded', result: { n: 1 }, error: null, lease_until: null, updated_at: '2026-01-01T00:00:02.000Z' });
    });

    it('interrupts unfinished jobs: all of them, by expired lease, or by id', async () => {
      const err = { type: 't', title: 'Job interrupted', code: 'Job.Interrupted', retryable: true };
      const expired = job({ idempotency_key: 'a', lease_until: '2026-01-01T00:00:10.000Z' });
      const live = job({ idempotency_key: 'b', lease_until: '2026-01-01T00:05:00.000Z', status: 'running' });
      const done = job({ idempotency_key: 'c', status: 'succeeded', lease_until: null });
      const otherService = job({ idempotency_key: 'd', service: 'other', lease_until: '2026-01-01T00:00:10.000Z' });
      for (const j of [expired, live, done, otherService]) await store.insert(j);

      expect(await store.interruptUnfinished({ service: 'svc', at: 'T1', error: err, leaseExpiredBefore: '2026-01-01T00:01:00.000Z' })).toBe(1);
      expect(await store.get('svc', expired.id)).toMatchObject({ status: 'failed', error: err, updated_at: 'T1' });
      expect((await store.get('svc', live.id))?.status).toBe('running');

      expect(await store.interruptUnfinished({ service: 'svc', at: 'T2', error: err, ids: [] })).toBe(0);
      expect(await store.interruptUnfinished({ service: 'svc', at: 'T2', error: err, ids: [live.id] })).toBe(1);
      expect(await store.interruptUnfinished({ service: 'svc', at: 'T3', error: err })).toBe(0);
      expect((await store.get('svc', done.id))?.status).toBe('succeeded');
      expect((await store.get('other', otherService.id))?.status).toBe('queued');
    });

    it('renews leases of unfinished jobs only', async () => {
      const a = job({ idempotency_key: 'a' });
      const b = job({ idempotency_key: 'b', status: 'succeeded', lease_until: null });
      await store.insert(a);
      await store.insert(b);
      await store.renewLeases([a.id, b.id], '2030-01-01T00:00:00.000Z');
      expect((await store.get('svc', a.id))?.lease_until).toBe('2030-01-01T00:00:00.000Z');
      expect((await store.get('svc', b.id))?.lease_until).toBeNull();
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
