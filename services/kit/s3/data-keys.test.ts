/** Which keys under a prefix are data: one rule for every service that reads a prefix. */
import { describe, expect, it } from 'vitest';
import { isDataKey } from './data-keys.js';

describe('isDataKey (a key relative to the prefix read)', () => {
  it.each([
    ['part-0.csv', true],
    ['dt=2026-01-01/part-0.csv', true],
    ['_dt=2026-01-01/part-0.csv', true],
    ['_SUCCESS', false],
    ['dt=2026-01-01/_SUCCESS', false],
    ['.part-0.csv.crc', false],
    ['_temporary/0/part-1.csv', false],
    ['_dagwright/dq/passed/pipeline=p/run=r/part-00000.parquet', false],
    ['.staging/part-2.csv', false],
    ['dt=2026-01-01/', false],
    ['', false],
    // hadoop fs -put writes `<name>._COPYING_` and renames it when the copy is whole.
    ['dt=2026-01-01/orders.csv._COPYING_', false],
    // Hadoop's s3n/EMRFS folder markers.
    ['dt=2026-01-01_$folder$', false],
    ['dt=2026-01-01/sub_$folder$', false],
  ])('%j is data: %s', (key, want) => expect(isDataKey(key)).toBe(want));
});
