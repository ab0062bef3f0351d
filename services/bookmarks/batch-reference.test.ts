/**
 * Issue 10: begin answers a batch of more than `inlineMax` objects as a reference to its
 * manifest; the run keeps its objects, so a retry writes the same list and answers the same
 * reference, and the commit still moves the marks past every object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchManifestRef } from '../../src/contract/index.js';
import { openState, type StateBackend } from '../kit/state/open-state.js';
import { summarize, type ObjectVersion } from './domain/types.js';
import type { BatchManifests } from './manifests/batch-manifests.js';
import { MemoryBucket } from './testing/memory-bucket.js';
import { BookmarkService } from './domain/bookmark-service.js';
import { openBookmarkStore } from './store/open-bookmark-store.js';
import { version } from './testing/bookmarks-app.js';
import { beginInput } from './domain/request.js';

/** Records what it is asked to write; the reference names the run and the number of objects. */
class RecordingManifests implements BatchManifests {
  readonly written: Array<{ bookmark: string; runId: string; keys: string[] }> = [];
  constructor(readonly inlineMax: number) {}
  async write(bookmark: string, runId: string, source: string, objects: readonly ObjectVersion[]): Promise<BatchManifestRef> {
    this.written.push({ bookmark, runId, keys: objects.map((o) => o.key) });
    return { manifest: `s3://data/_dagwright/batches/bookmark=${bookmark}/run=${runId}/m.jsonl`, source, count: objects.length, total_bytes: objects.reduce((n, o) => n + o.size, 0) };
  }
}

describe('begin: a large batch as a manifest reference', () => {
  let dir: string;
  let state: StateBackend;
  let bucket: MemoryBucket;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dw-bm-ref-'));
    state = await openState({ spec: join(dir, 'state.sqlite') });
    bucket = new MemoryBucket('data');
    for (let i = 0; i < 3; i++) bucket.put(version(`in/part-${i}.csv`, i));
  });

  afterEach(async () => {
    await state.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const service = async (manifests: BatchManifests) => {
    const store = openBookmarkStore(state);
    await store.migrate();
    return new BookmarkService({ store, lister: bucket, manifests, now: () => new Date(Date.UTC(2026, 0, 2)) });
  };
  const input = (svc: BookmarkService, run: string) => beginInput('orders', { run_id: run, source: 's3://data/in/' }, svc.tableConnections);

  it('up to inlineMax objects, the batch is inline; above, it is the reference, and nothing else', async () => {
    const inline = await service(new RecordingManifests(3));
    expect((await inline.begin(input(inline, 'r1'), 't')).batch).toMatchObject({ objects: expect.any(Array), total_bytes: 300 });
    await inline.abandon('orders', 'r1', 't');

    const manifests = new RecordingManifests(2);
    const svc = await service(manifests);
    const result = await svc.begin(input(svc, 'r2'), 't');
    expect(result.batch).toEqual({ manifest: 's3://data/_dagwright/batches/bookmark=orders/run=r2/m.jsonl', source: 's3://data/in/', count: 3, total_bytes: 300 });
    expect(manifests.written).toEqual([{ bookmark: 'orders', runId: 'r2', keys: ['in/part-0.csv', 'in/part-1.csv', 'in/part-2.csv'] }]);
  });

  it('a retry writes the same list and answers the same reference; the commit moves past every object', async () => {
    const manifests = new RecordingManifests(2);
    const svc = await service(manifests);
    const first = await svc.begin(input(svc, 'r1'), 't');
    bucket.put(version('in/part-9.csv', 5));
    const retry = await svc.begin(input(svc, 'r1'), 't');
    expect(retry).toEqual(first);
    expect(manifests.written[1]).toEqual(manifests.written[0]);
    const committed = summarize(await svc.commit('orders', 'r1', 't'));
    expect(committed.state).toMatchObject({ kind: 's3', band_size: 3 });
    expect(committed.state).not.toHaveProperty('band');
    const next = await svc.begin(input(svc, 'r2'), 't');
    expect(next.batch).toMatchObject({ objects: [{ key: 'in/part-9.csv' }] });
  });
});
