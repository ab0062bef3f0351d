import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { groupObjects } from './grouping.js';

const o = (key: string, size: number) => ({ key, etag: 'e', size, last_modified: '2026-01-01T00:00:00.000Z' });
const byDt = (key: string) => /^dt=([^/]+)\//.exec(key)?.[1] ?? null;

describe('groupObjects', () => {
  it.each([
    ['packs toward the target', [o('a', 40), o('b', 40), o('c', 40)], 100, [[0, 2, 80], [2, 1, 40]]],
    ['gives an oversized object its own group', [o('a', 10), o('b', 500), o('c', 10)], 100, [[0, 1, 10], [1, 1, 500], [2, 1, 10]]],
    ['makes no group for no objects', [], 100, []],
  ])('%s', (_name, objects, target, want) => {
    const { groups } = groupObjects(objects, target, () => null);
    expect(groups.map((g) => [g.first, g.count, g.total_bytes])).toEqual(want);
  });

  it('never mixes partitions in a group', () => {
    const { objects, groups } = groupObjects([o('dt=2/a', 1), o('dt=1/a', 1), o('dt=1/b', 1)], 100, byDt);
    expect(objects.map((x) => x.key)).toEqual(['dt=1/a', 'dt=1/b', 'dt=2/a']);
    expect(groups.map((g) => [g.partition, g.count])).toEqual([['1', 2], ['2', 1]]);
  });

  it('covers every object exactly once, and only single-object groups exceed the target', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 60 }), fc.integer({ min: 1, max: 200 }), (sizes, target) => {
        const { objects, groups } = groupObjects(sizes.map((s, i) => o(`dt=${i % 3}/k${i}`, s)), target, byDt);
        expect(groups.reduce((n, g) => n + g.count, 0)).toBe(objects.length);
        let next = 0;
        for (const g of groups) {
          expect(g.first).toBe(next);
          next += g.count;
          expect(g.total_bytes <= target || g.count === 1).toBe(true);
        }
      }),
    );
  });
});
