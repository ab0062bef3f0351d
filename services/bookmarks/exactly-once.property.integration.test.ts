/**
 * Property: across all committed runs, every object version is processed
 * exactly once, on both stores (SQLite and PostgreSQL).
 *
 * fast-check generates interleavings of: object arrivals (new keys, keys
 * overwritten, and late arrivals whose modified time is older than the high
 * mark but inside the tolerance band), clock ticks, runs that commit, runs
 * that fail before commit (then are retried with the same run id, which must
 * get the same batch, or abandoned), and concurrent runs (exactly one may
 * win). The bucket is in memory because a real S3 API cannot backdate an
 * object's modified time, which late arrivals need; the S3 API itself is
 * covered by the moto integration test.
 *
 * Checked at the end, after a final run:
 * - no version is in two committed batches (never processed twice);
 * - every version still current in the bucket is in exactly one committed
 *   batch (never lost). A version overwritten before any run listed it was
 *   never visible to a listing, so only "at most once" can hold for it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateBackend } from '../kit/state/open-state.js';
import { testBackends } from '../kit/testing/backends.js';
import { versionId } from './domain/marks.js';
import type { BeginResult, S3Batch } from './domain/types.js';
import { MemoryBucket } from './testing/memory-bucket.js';
import { BookmarkService } from './domain/bookmark-service.js';
import { openBookmarkStore } from './store/open-bookmark-store.js';
import type { BookmarkStore } from './store/types.js';
import { beginInput } from './domain/request.js';

const TOLERANCE_MIN = 15;

type Op =
  | { op: 'arrive'; key: number; lateBy: number }
  | { op: 'tick'; minutes: number }
  | { op: 'run' }
  | { op: 'failRun' }
  | { op: 'retryOrAbandon'; retry: boolean }
  | { op: 'concurrent'; n: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('arrive' as const), key: fc.integer({ min: 0, max: 7 }), lateBy: fc.integer({ min: 0, max: TOLERANCE_MIN - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('tick' as const), minutes: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 2, arbitrary: fc.constant({ op: 'run' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'failRun' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('retryOrAbandon' as const), retry: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('concurrent' as const), n: fc.integer({ min: 2, max: 4 }) }) },
);

const backends = testBackends({ dir: mkdtempSync(join(tmpdir(), 'dw-prop-')) });

for (const backend of backends) {
  describe.skipIf(!backend.available)(`exactly-once property (${backend.name})`, () => {
    let state: StateBackend;
    let store: BookmarkStore;
    let scenario = 0;

    beforeAll(async () => {
      state = await backend.open();
      store = openBookmarkStore(state);
      await store.migrate();
    });
    afterAll(async () => {
      await state?.close();
      await backend.dispose();
    });

    it('every object version is processed exactly once across committed runs', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
          const name = `p${scenario++}`;
          const bucket = new MemoryBucket('data');
          let nowMs = Date.UTC(2026, 0, 1);
          const svc = new BookmarkService({ store, lister: bucket, now: () => new Date(nowMs) });
          let etag = 0;
          let runSeq = 0;
          let inflight: { id: string; batch: BeginResult } | undefined;
          const committed: BeginResult[] = [];

          const input = (id: string) => beginInput(name, { run_id: id, source: 's3://data/in/', tolerance_seconds: TOLERANCE_MIN * 60 }, svc.tableConnections);
          const commit = async (id: string, batch: BeginResult) => {
            await svc.commit(name, id, 'prop');
            committed.push(batch);
          };

          for (const op of ops) {
            switch (op.op) {
              case 'arrive':
                bucket.put({ key: `in/k${op.key}`, etag: `e${etag++}`, size: 1, last_modified: new Date(nowMs - op.lateBy * 60_000).toISOString() });
                break;
              case 'tick':
                nowMs += op.minutes * 60_000;
                break;
              case 'run':
              case 'failRun': {
                if (inflight) {
                  await expect(svc.begin(input(`r${runSeq++}`), 'prop')).rejects.toMatchObject({ code: 'Bookmark.RunInProgress' });
                  break;
                }
                const id = `r${runSeq++}`;
                const batch = await svc.begin(input(id), 'prop');
                if (op.op === 'run') await commit(id, batch);
                else inflight = { id, batch };
                break;
              }
              case 'retryOrAbandon':
                if (!inflight) break;
                if (op.retry) {
                  const again = await svc.begin(input(inflight.id), 'prop');
                  expect(again).toEqual(inflight.batch); // the same batch, whatever arrived since
                  await commit(inflight.id, again);
                } else {
                  await svc.abandon(name, inflight.id, 'prop');
                }
                inflight = undefined;
                break;
              case 'concurrent': {
                const ids = Array.from({ length: op.n }, () => `r${runSeq++}`);
                const results = await Promise.allSettled(ids.map((id) => svc.begin(input(id), 'prop')));
                const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ id: ids[i] as string, batch: r.value }] : []));
                for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'Bookmark.RunInProgress' });
                expect(winners.length).toBe(inflight ? 0 : 1);
                const winner = winners[0];
                if (winner) await commit(winner.id, winner.batch);
                break;
              }
            }
          }
          if (inflight) await svc.abandon(name, inflight.id, 'prop');
          const last = `r${runSeq++}`;
          await commit(last, await svc.begin(input(last), 'prop'));

          const seen = new Map<string, number>();
          for (const result of committed) {
            for (const o of (result.batch as S3Batch).objects) seen.set(versionId(o), (seen.get(versionId(o)) ?? 0) + 1);
          }
          const twice = [...seen.entries()].filter(([, n]) => n > 1);
          expect(twice).toEqual([]);
          const missing = bucket.all().filter((o) => seen.get(versionId(o)) !== 1);
          expect(missing).toEqual([]);
        }),
        { numRuns: backend.name === 'sqlite' ? 150 : 60 },
      );
    });
  });
}
