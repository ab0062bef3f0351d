import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { DuckDBInstance } from '@duckdb/node-api';

/** The bench table: the loader's merge target and the raw copy's target share it. */
export const COLUMNS = ['id', 'customer_id', 'name', 'amount', 'category', 'updated_at'] as const;

/** Autovacuum is off on the bench's tables: a vacuum of the last run's 5M rows must not run under the next one. */
export function tableDdl(table: string): string {
  return `CREATE TABLE ${table} (id BIGINT PRIMARY KEY, customer_id INTEGER NOT NULL, name TEXT, amount NUMERIC(12,2), category TEXT, updated_at TIMESTAMP NOT NULL) WITH (autovacuum_enabled = false)`;
}

const CATEGORIES = ['books', 'garden', 'toys', 'food', 'music', 'sports', 'tools', 'health'];

/** Writes `rows` rows of deterministic CSV (with a header) to `path`, streaming. */
export async function writeCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write(`${COLUMNS.join(',')}\n`);
  let bytes = 0;
  let chunk = '';
  const base = Date.UTC(2026, 0, 1) / 1000;
  for (let i = 1; i <= rows; i++) {
    const seconds = base + ((i * 7919) % 31_536_000);
    const ts = new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const amount = ((i * 2654435761) % 1_000_000) / 100;
    chunk += `${i},${(i * 31) % 100_000},customer-${(i * 17) % 99_991},${amount.toFixed(2)},${CATEGORIES[i % CATEGORIES.length]},${ts}\n`;
    if (chunk.length > 1 << 20) {
      bytes += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  bytes += chunk.length;
  out.end(chunk);
  await once(out, 'finish');
  return bytes;
}

/** The same rows as Parquet, converted by DuckDB. */
export async function csvToParquet(csvPath: string, parquetPath: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const c = await db.connect();
  try {
    await c.run(
      `COPY (SELECT * FROM read_csv('${csvPath}', header = true, columns = {'id': 'BIGINT', 'customer_id': 'INTEGER', 'name': 'VARCHAR', 'amount': 'DECIMAL(12,2)', 'category': 'VARCHAR', 'updated_at': 'TIMESTAMP'})) ` +
        `TO '${parquetPath}' (FORMAT parquet, ROW_GROUP_SIZE 122880)`,
    );
  } finally {
    c.closeSync();
    db.closeSync();
  }
}
