/** What datasets name: prefixes, objects, batches (the bookmarks batch without a bucket). */
import { describe, expect, it } from 'vitest';
import { planDataset } from './dataset.js';
import { runDate } from './run-date.js';
import { child, parseLocation, partitionValue } from '../objects/locations.js';

const opts = { localRoots: ['/data'], defaultBucket: 'lake' };

describe('planDataset', () => {
  it.each([
    ['a prefix', 's3://raw/orders/', { kind: 'listing', at: { scheme: 's3', bucket: 'raw', key: 'orders/' } }],
    ['an object', 's3://raw/orders/a.parquet', { kind: 'listing', at: { scheme: 's3', bucket: 'raw', key: 'orders/a.parquet' } }],
    ['a local path', '/data/x/', { kind: 'listing', at: { scheme: 'file', bucket: '', key: '/data/x/' } }],
    [
      'a bookmarks batch (keys only): the default bucket',
      { objects: [{ key: 'orders/dt=2026-01-01/a.csv', etag: '"e1"', size: 3, last_modified: '2026-01-01T00:00:00Z' }], total_bytes: 3 },
      { kind: 'objects', objects: [{ location: { scheme: 's3', bucket: 'lake', key: 'orders/dt=2026-01-01/a.csv' }, size: 3, etag: 'e1' }] },
    ],
    [
      'a batch with source',
      { source: 's3://raw/orders/', objects: [{ key: 'orders/a.csv' }, 's3://other/b.csv'] },
      {
        kind: 'objects',
        objects: [
          { location: { scheme: 's3', bucket: 'raw', key: 'orders/a.csv' } },
          { location: { scheme: 's3', bucket: 'other', key: 'b.csv' } },
        ],
      },
    ],
    ['a bookmark run result', { source: 's3://raw/o/', batch: { objects: [{ key: 'o/a.csv', bucket: 'x1y' }] } }, { kind: 'objects', objects: [{ location: { scheme: 's3', bucket: 'x1y', key: 'o/a.csv' } }] }],
  ] as const)('%s', (_name, given, want) => {
    expect(planDataset(given as never, '/dataset', opts)).toEqual(want);
  });

  it.each([
    ['a relative path', 'orders/', '/dataset'],
    ['a local path outside the roots', '/etc/passwd', '/dataset'],
    ['a bad bucket', 's3://Bad_Bucket/x', '/dataset'],
    ['no objects', { objects: [] }, '/dataset/objects'],
    ['a prefix as an object', { objects: ['s3://raw/orders/'] }, '/dataset/objects/0'],
    ['neither', { total_bytes: 3 }, '/dataset'],
  ] as const)('refuses %s', (_name, given, path) => {
    const got = planDataset(given as never, '/dataset', opts);
    expect(Array.isArray(got) ? got[0]?.path : got).toBe(path);
  });

  it('no bucket anywhere', () => {
    expect(planDataset({ objects: [{ key: 'a.csv' }] }, '/dataset', { localRoots: [] })).toMatchObject([{ path: '/dataset/objects/0' }]);
  });
});

describe('small helpers', () => {
  it.each([
    ['scheduled__2026-01-31T00:00:00+00:00', undefined, '2026-01-31'],
    ['manual__x', undefined, '2026-03-01'],
    ['scheduled__2026-01-31T00:00:00+00:00', '2025-12-31', '2025-12-31'],
  ] as const)('runDate(%s, %s) = %s', (run, given, want) => expect(runDate(run, given, '2026-03-01')).toBe(want));

  it('escapes partition values as Hive does', () => {
    expect(partitionValue('scheduled__2026-01-31T00:00:00+00:00')).toBe('scheduled__2026-01-31T00%3A00%3A00%2B00%3A00');
  });

  it('joins keys', () => {
    const root = parseLocation('s3://lake/dq/', []);
    expect(typeof root === 'string' ? root : child(root, 'quarantine', 'pipeline=p').key).toBe('dq/quarantine/pipeline=p');
  });
});
