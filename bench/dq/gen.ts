/**
 * Writes the benchmark's Parquet file: `rows` orders, deterministic (hashes of the row
 * number), with NULLs, skew and text to check. Reused when it exists.
 *
 *   npx tsx bench/dq/gen.ts <rows> <file>
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export async function generate(rows: number, file: string): Promise<void> {
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const tmp = `${file}.tmp`;
  try {
    await conn.run(`COPY (
      SELECT
        i AS id,
        CASE WHEN hash(i, 1) % 100 = 0 THEN NULL ELSE 'c' || (hash(i, 2) % 500000) END AS customer,
        CASE WHEN hash(i, 3) % 50 = 0 THEN NULL ELSE round((hash(i, 4) % 100000) / 100.0, 2) END AS amount,
        (hash(i, 5) % 10)::INTEGER AS qty,
        ['ok', 'ok', 'ok', 'late', 'void', 'new'][1 + (hash(i, 6) % 6)::INTEGER] AS status,
        ['US', 'CA', 'UK', 'DE', 'FR', 'JP', 'BR'][1 + (hash(i, 7) % 7)::INTEGER] AS country,
        chr(65 + (hash(i, 8) % 26)::INTEGER) || chr(65 + (hash(i, 9) % 26)::INTEGER) || '-' || (hash(i, 10) % 100000) AS code,
        DATE '2026-01-01' + (hash(i, 11) % 365)::INTEGER AS day,
        TIMESTAMP '2026-01-01' + to_seconds((hash(i, 12) % 31536000)::BIGINT) AS created
      FROM range(${Math.trunc(rows)}) t(i)
    ) TO '${tmp.replaceAll("'", "''")}' (FORMAT parquet, ROW_GROUP_SIZE 122880)`);
    renameSync(tmp, file);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const [rows, file] = process.argv.slice(2);
  await generate(Number(rows), file!);
}
