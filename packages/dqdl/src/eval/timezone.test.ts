/**
 * Dates of timestamps are UTC dates, as in Glue (whose Spark session runs in UTC), whatever
 * the machine's time zone: this file runs DuckDB in Asia/Tokyo (vitest forks a process per
 * file, and DuckDB takes its default TimeZone from TZ when it starts).
 */
process.env.TZ = 'Asia/Tokyo';

import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateText, rules, tempDir, writeData } from './testing.js';

const dir = tempDir('dq-tz-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('in a machine time zone other than UTC', () => {
  it('a TIMESTAMPTZ late on 2024-01-05 UTC is on 2024-01-05, in ColumnValues and in where clauses', async () => {
    const rows = [{ ts: '2024-01-05 23:30:00+00' }];
    const data = { files: [await writeData(dir, 'tz', 'parquet', rows, { types: { ts: 'TIMESTAMPTZ' } })] };
    const { evaluation, errors } = await evaluateText(
      rules('ColumnValues "ts" = "2024-01-05"', `RowCount = 1 where "to_date(ts) = date '2024-01-05' and hour(ts) = 23 and cast(ts as date) = '2024-01-05'"`),
      data,
    );
    expect(errors).toEqual([]);
    expect(evaluation?.rules.map((r) => r.result)).toEqual(['PASS', 'PASS']);
  });
});
