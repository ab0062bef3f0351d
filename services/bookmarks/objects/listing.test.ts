import { describe, expect, it } from 'vitest';
import { initialS3Marks } from '../domain/marks.js';
import type { S3Marks } from '../domain/types.js';
import { CountingObjectLister } from './object-lister.js';
import { listCandidates } from './listing.js';
import { MemoryBucket } from '../testing/memory-bucket.js';

const LM = '2026-01-01T00:00:00.000Z';

function dayKeys(days: number, perDay: number, layout: 'dt' | 'ymd' | 'ymd-unpadded'): string[] {
  const keys: string[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(Date.UTC(2025, 0, 1) + d * 86_400_000);
    const [y, m, dd] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const part =
      layout === 'dt'
        ? `dt=${date.toISOString().slice(0, 10)}`
        : layout === 'ymd'
          ? `year=${y}/month=${String(m).padStart(2, '0')}/day=${String(dd).padStart(2, '0')}`
          : `year=${y}/month=${m}/day=${dd}`;
    for (let i = 0; i < perDay; i++) keys.push(`events/${part}/part-${String(i).padStart(5, '0')}.json`);
  }
  return keys;
}

function bucketWith(keys: string[]): MemoryBucket {
  const b = new MemoryBucket('data');
  for (const key of keys) b.put({ key, etag: 'e', size: 1, last_modified: LM });
  return b;
}

const committed = (partition: string, layout: 'dt' | 'ymd'): S3Marks => ({ ...initialS3Marks(), high: LM, low: LM, partition, layout, band_seconds: 900 });

describe('partition-aware listing (counting ListObjectsV2 calls)', () => {
  it('lists everything without partitions: one call per 1000 objects', async () => {
    const lister = new CountingObjectLister(bucketWith(dayKeys(30, 100, 'dt')));
    const objects = await listCandidates(lister, { location: { bucket: 'data', prefix: 'events/' }, partitioning: 'none', lookbackPartitions: 1, marks: initialS3Marks() });
    expect(objects).toHaveLength(3000);
    expect(lister.calls).toBe(3);
  });

  it('dt=: lists only from the committed partition minus the lookback, in one call', async () => {
    const lister = new CountingObjectLister(bucketWith(dayKeys(365, 100, 'dt')));
    const objects = await listCandidates(lister, {
      location: { bucket: 'data', prefix: 'events/' },
      partitioning: 'hive',
      lookbackPartitions: 2,
      marks: committed('2025-12-30', 'dt'),
    });
    // 2025-12-28 .. 2025-12-31: 4 partitions of 100.
    expect(new Set(objects.map((o) => o.key.slice(10, 20)))).toEqual(new Set(['2025-12-28', '2025-12-29', '2025-12-30', '2025-12-31']));
    expect(objects).toHaveLength(400);
    expect(lister.calls).toBe(1);
  });

  it('dt= with non-date values counts the lookback through the partition names', async () => {
    const b = new MemoryBucket('data');
    for (const v of ['a', 'b', 'c', 'd']) b.put({ key: `events/dt=batch-${v}/x`, etag: 'e', size: 1, last_modified: LM });
    const lister = new CountingObjectLister(b);
    const objects = await listCandidates(lister, { location: { bucket: 'data', prefix: 'events/' }, partitioning: 'hive', lookbackPartitions: 1, marks: committed('batch-c', 'dt') });
    expect(objects.map((o) => o.key)).toEqual(['events/dt=batch-b/x', 'events/dt=batch-c/x', 'events/dt=batch-d/x']);
    expect(lister.calls).toBe(2);
  });

  it.each([['ymd' as const], ['ymd-unpadded' as const]])('%s: walks only the years, months and days from the start', async (layout) => {
    const lister = new CountingObjectLister(bucketWith(dayKeys(365, 10, layout)));
    const objects = await listCandidates(lister, {
      location: { bucket: 'data', prefix: 'events/' },
      partitioning: 'hive',
      lookbackPartitions: 1,
      marks: committed('2025-12-31', 'ymd'),
    });
    expect(objects).toHaveLength(20);
    // years (1) + months of 2025 (1) + days of December (1) + 2 day partitions.
    expect(lister.calls).toBe(5);
  });

  it('the first hive run lists everything and keeps only partitioned keys', async () => {
    const b = bucketWith(dayKeys(3, 2, 'dt'));
    b.put({ key: 'events/_SUCCESS', etag: 'e', size: 0, last_modified: LM });
    b.put({ key: 'events/dt=2025-01-01/', etag: 'e', size: 0, last_modified: LM });
    const objects = await listCandidates(b, { location: { bucket: 'data', prefix: 'events/' }, partitioning: 'hive', lookbackPartitions: 1, marks: initialS3Marks() });
    expect(objects).toHaveLength(6);
  });
});

describe('MemoryBucket', () => {
  it('pages with continuation tokens and common prefixes like ListObjectsV2', async () => {
    const b = new MemoryBucket('data', 2);
    for (const key of ['p/a/1', 'p/a/2', 'p/b/1', 'p/c', 'q/x']) b.put({ key, etag: 'e', size: 1, last_modified: LM });
    const first = await b.listPage({ bucket: 'data', prefix: 'p/', delimiter: '/' });
    expect(first).toMatchObject({ prefixes: ['p/a/', 'p/b/'], objects: [] });
    const second = await b.listPage({ bucket: 'data', prefix: 'p/', delimiter: '/', continuationToken: first.nextToken as string });
    expect(second.objects.map((o) => o.key)).toEqual(['p/c']);
    expect(second.nextToken).toBeUndefined();
    const after = await b.listPage({ bucket: 'data', prefix: 'p/', startAfter: 'p/a/2' });
    expect(after.objects.map((o) => o.key)).toEqual(['p/b/1', 'p/c']);
  });
});

describe('hidden files are not data (as Hadoop, Spark and Glue read a prefix)', () => {
  const keys = [
    'orders/dt=2026-01-01/part-0.csv',
    'orders/dt=2026-01-01/_SUCCESS',
    'orders/dt=2026-01-01/.part-0.csv.crc',
    'orders/dt=2026-01-01/_temporary/0/part-1.csv',
    'orders/_dagwright/dq/passed/pipeline=p/dt=2026-01-01/run=r/part-00000.parquet',
    'orders/.staging/part-2.csv',
    'orders/part-3.csv',
  ];
  it.each([['none' as const], ['hive' as const]])('partitioning %s: markers, checksums and _/. folders are skipped', async (partitioning) => {
    const objects = await listCandidates(bucketWith(keys), { location: { bucket: 'data', prefix: 'orders/' }, partitioning, lookbackPartitions: 1, marks: initialS3Marks() });
    expect(objects.map((o) => o.key)).toEqual(partitioning === 'none' ? ['orders/dt=2026-01-01/part-0.csv', 'orders/part-3.csv'] : ['orders/dt=2026-01-01/part-0.csv']);
  });

  it('a hidden name above the prefix does not hide what is under it', async () => {
    const objects = await listCandidates(bucketWith(['_landing/orders/part-0.csv', '_landing/orders/_SUCCESS']), { location: { bucket: 'data', prefix: '_landing/orders/' }, partitioning: 'none', lookbackPartitions: 1, marks: initialS3Marks() });
    expect(objects.map((o) => o.key)).toEqual(['_landing/orders/part-0.csv']);
  });
});
