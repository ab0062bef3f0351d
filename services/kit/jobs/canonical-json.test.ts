import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json.js';
import { newJobId } from './ids.js';

describe('canonical JSON', () => {
  it.each([
    ['sorts keys at every depth', { b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}'],
    ['drops undefined members', { a: undefined, b: 1 }, '{"b":1}'],
    ['keeps array order', [3, 1, 2], '[3,1,2]'],
  ])('%s', (_name, given, want) => {
    expect(canonicalJson(given)).toBe(want);
  });

  it('is the same for any key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      }),
    );
  });
});

describe('job ids', () => {
  it('sort by creation time and do not collide', () => {
    const a = newJobId(new Date('2026-01-01T00:00:00Z'));
    const b = newJobId(new Date('2026-01-01T00:00:01Z'));
    expect(a < b).toBe(true);
    expect(a).toMatch(/^job_[0-9A-Z]{26}$/);
    expect(new Set(Array.from({ length: 1000 }, () => newJobId())).size).toBe(1000);
  });
});
