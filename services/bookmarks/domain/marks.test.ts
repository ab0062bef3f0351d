import { describe, expect, it } from 'vitest';
import { advanceMarks, initialS3Marks, selectNew } from './marks.js';
import type { ObjectVersion } from './types.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const obj = (key: string, minute: number, etag = `e-${key}-${minute}`): ObjectVersion => ({ key, etag, size: 10, last_modified: at(minute) });
const T = 15 * 60;

describe('S3 marks', () => {
  it('selects everything on the first run', () => {
    const objects = [obj('a', 0), obj('b', 5)];
    expect(selectNew(objects, initialS3Marks(), T)).toEqual(objects);
  });

  it('advances high and low, and keeps the band inside the tolerance', () => {
    const marks = advanceMarks(initialS3Marks(), [obj('a', 0), obj('b', 50), obj('c', 40)], { toleranceSeconds: T });
    expect(marks.high).toBe(at(50));
    expect(marks.low).toBe(at(0));
    expect(marks.band.map((v) => v.key)).toEqual(['b', 'c']);
  });

  it.each([
    ['a late object inside the band is new', obj('late', 45), true],
    ['a late object older than the band is not', obj('old', 30), false],
    ['a committed object is not new again', obj('c', 40), false],
    ['an overwrite of a committed key is new', obj('c', 52, 'e-other'), true],
    ['an object at exactly high - tolerance is not', obj('edge', 35), false],
  ])('%s', (_name, candidate, isNew) => {
    const marks = advanceMarks(initialS3Marks(), [obj('a', 0), obj('b', 50), obj('c', 40)], { toleranceSeconds: T });
    expect(selectNew([candidate], marks, T).length === 1).toBe(isNew);
  });

  it('does not resurrect pruned versions when the tolerance grows', () => {
    const marks = advanceMarks(initialS3Marks(), [obj('a', 0), obj('b', 50)], { toleranceSeconds: T });
    expect(selectNew([obj('a', 0)], marks, 3600)).toEqual([]);
  });

  it('an empty commit keeps the marks', () => {
    const marks = advanceMarks(initialS3Marks(), [obj('a', 0)], { toleranceSeconds: T });
    expect(advanceMarks(marks, [], { toleranceSeconds: T })).toEqual(marks);
  });

  it('records the latest partition', () => {
    const partitionOf = (key: string) => ({ value: key.slice(3, 13), layout: 'dt' as const });
    const marks = advanceMarks(initialS3Marks(), [obj('dt=2026-01-02/x', 1), obj('dt=2026-01-01/y', 2)], { toleranceSeconds: T, partitionOf });
    expect(marks.partition).toBe('2026-01-02');
    expect(marks.layout).toBe('dt');
  });
});
