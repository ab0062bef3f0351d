/**
 * DuckDB spills what does not fit its memory limit to the evaluation's work directory; the
 * spill limit (`max_temp_directory_size`) bounds that disk, so one evaluation cannot fill
 * the scratch volume other evaluations share.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evaluateText, rules, tempDir } from './testing.js';

const dir = tempDir('dq-spill-');
let file: string;
beforeAll(async () => {
  // 3M distinct 32-character strings: their grouping (IsUnique) does not fit 128 MiB.
  file = path.join(dir, 'd.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(`COPY (SELECT range AS id, md5(range::VARCHAR) AS s FROM range(3000000)) TO '${file}'`);
  conn.closeSync();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const uniqueness = (spillLimit: string) =>
  evaluateText(rules('IsUnique "s"', 'RowCount = 3000000'), { files: [file] }, { memoryLimit: '128MiB', threads: 1, spillLimit, workDir: path.join(dir, `work-${spillLimit}`) });

it('within the spill limit, a grouping larger than memory spills and completes', async () => {
  const { evaluation, errors } = await uniqueness('4GiB');
  expect(errors).toEqual([]);
  expect(evaluation!.rules.map((r) => r.result)).toEqual(['PASS', 'PASS']);
}, 180_000);

it('past the spill limit, the rule whose scan spills is an ERROR that says DuckDB could not offload; a rule of a scan that fits still has its value', async () => {
  const { evaluation, errors } = await uniqueness('1MiB');
  expect(errors).toEqual([]);
  const [unique, rows] = evaluation!.rules;
  expect(unique!.result).toBe('ERROR');
  expect(unique!.message).toMatch(/failed to offload data block/);
  expect(rows!.result).toBe('PASS');
}, 180_000);
