import { describe, expect, it } from 'vitest';
import { daysBefore, partitionOf } from './partitions.js';

describe('partitions', () => {
  it.each([
    ['dt', 'dt=2026-01-31/part-0.parquet', { layout: 'dt', value: '2026-01-31', path: 'dt=2026-01-31/' }],
    ['dt with sub-folders', 'dt=20260131/hour=01/x', { layout: 'dt', value: '20260131', path: 'dt=20260131/' }],
    ['year/month/day, unpadded', 'year=2026/month=1/day=5/x.csv', { layout: 'ymd', value: '2026-01-05', path: 'year=2026/month=1/day=5/' }],
    ['no partition', 'x.csv', null],
    ['a partition folder marker without a file', 'dt=2026-01-31', null],
  ])('%s', (_name, key, want) => {
    expect(partitionOf(key)).toEqual(want);
  });

  it.each([
    ['2026-03-01', 1, '2026-02-28'],
    ['20260101', 2, '20251230'],
    ['2026-01-31', 0, '2026-01-31'],
    ['batch-7', 1, null],
  ])('daysBefore(%s, %s) = %s', (value, n, want) => {
    expect(daysBefore(value, n)).toBe(want);
  });
});
