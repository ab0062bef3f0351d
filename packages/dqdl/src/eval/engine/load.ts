/**
 * Reads one dataset into the database under a name. Empty files make a dataset with no
 * columns; CSV blanks are empty strings in text columns and NULL in others (as Glue reads
 * CSV); a file that is not valid in its format gives `dq.invalid-data` naming the file and,
 * when DuckDB says, the line.
 */
import { accessSync, closeSync, constants, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident, str } from '../sql/quote.js';
import type { DataFormat, DataInput, EvalError } from '../types.js';
import { isEmptyFile, sniffFormat } from './formats.js';

export interface Column {
  readonly name: string;
  /** DuckDB type, e.g. `BIGINT`, `VARCHAR`, `DECIMAL(18,3)`. */
  readonly type: string;
}

export type Loaded = { readonly columns: readonly Column[] } | { readonly errors: readonly EvalError[] };

const fileList = (files: readonly string[]) => `[${files.map((f) => str(path.resolve(f))).join(', ')}]`;

function readerFor(format: DataFormat, files: readonly string[], extra = ''): string {
  switch (format) {
    case 'parquet':
      return `read_parquet(${fileList(files)}, union_by_name = true)`;
    case 'jsonl':
      return `read_json(${fileList(files)}, format = 'newline_delimited', union_by_name = true)`;
    case 'csv':
      // No DATE, TIME or TIMESTAMP guesses: DuckDB's sniffer would read 05/01/2024 as some
      // date; dates stay text and are read where a rule needs them, as Spark reads them.
      return `read_csv(${fileList(files)}, ${csvDialect(files)}, auto_type_candidates = ['BOOLEAN', 'BIGINT', 'DOUBLE', 'VARCHAR']${extra})`;
  }
}

/** Glue's CSV: a header line, `,` (tab for .tsv), `"` quotes; rows must all have the header's width. */
function csvDialect(files: readonly string[]): string {
  const delim = files.every((f) => /\.tsv(\.gz|\.zst)?$/i.test(f)) ? '\t' : ',';
  return `delim = ${str(delim)}, quote = '"', escape = '"', header = true, strict_mode = true, skip = 0`;
}

/** The header of a CSV file, split naively (for the error path only). */
function headerOf(file: string): string[] {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const text = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
    const line = text.split(/\r?\n/)[0] ?? '';
    return line.split(/,|\t/).map((h, i) => h.replace(/^"|"$/g, '') || `column${i}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * When the sniffer gives up, read the file again as text columns named by its header, so
 * DuckDB says which line breaks the shape.
 */
async function csvLineError(conn: DuckDBConnection, files: readonly string[], fallback: unknown): Promise<unknown> {
  try {
    const columns = headerOf(files[0]!).map((h) => `${str(h)}: 'VARCHAR'`);
    await conn.run(`SELECT count(*) FROM read_csv(${fileList(files)}, ${csvDialect(files)}, auto_detect = false, columns = {${columns.join(', ')}})`);
    return fallback;
  } catch (err) {
    return err;
  }
}

function dataError(message: string, files: readonly string[], format: DataFormat): EvalError {
  const file = files.find((f) => message.includes(f) || message.includes(path.resolve(f))) ?? (files.length === 1 ? files[0] : undefined);
  const line = /\bline:? (\d+)/i.exec(message)?.[1];
  const lines = message.split('\n');
  const first = [lines[0] ?? message, ...lines.filter((l) => /^(Expected Number of Columns|Original Line)/.test(l))].join('; ');
  return {
    code: 'dq.invalid-data',
    message: `not valid ${format === 'jsonl' ? 'JSON lines' : format === 'csv' ? 'CSV' : 'Parquet'}: ${first}`,
    ...(file !== undefined ? { file } : {}),
    ...(line !== undefined ? { line: Number(line) } : {}),
  };
}

async function describe(conn: DuckDBConnection, relation: string): Promise<Column[]> {
  const reader = await conn.runAndReadAll(`DESCRIBE ${relation}`);
  return reader.getRowObjectsJS().map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
}

function pickFormat(input: DataInput): DataFormat | EvalError {
  if (input.format !== undefined) return input.format;
  const formats = new Set(input.files.map(sniffFormat));
  const [only] = formats;
  if (formats.size === 1 && only !== undefined) return only;
  return { code: 'dq.invalid-data', message: `cannot tell the format of ${input.files.join(', ')}: give it (csv, jsonl or parquet)` };
}

export async function loadInput(conn: DuckDBConnection, alias: string, input: DataInput): Promise<Loaded> {
  const name = ident(alias);
  if (input.files.length === 0) return { errors: [{ code: 'dq.invalid-data', message: `dataset ${alias} has no files` }] };
  for (const file of input.files) {
    try {
      accessSync(file, constants.R_OK);
    } catch {
      return { errors: [{ code: 'dq.invalid-data', message: `cannot read ${file}`, file }] };
    }
  }
  const format = pickFormat(input);
  if (typeof format !== 'string') return { errors: [format] };
  const files = input.files.filter((f) => !isEmptyFile(f));
  if (files.length === 0) {
    // A dataset of empty files has no rows and no columns.
    await conn.run(`CREATE VIEW ${name} AS SELECT NULL AS __dq_no_columns WHERE false`);
    return { columns: [] };
  }
  try {
    if (format === 'parquet') {
      await conn.run(`CREATE VIEW ${name} AS SELECT * FROM ${readerFor(format, files)}`);
    } else if (format === 'jsonl') {
      await conn.run(`CREATE TABLE ${name} AS SELECT * FROM ${readerFor(format, files)}`);
    } else {
      let sniffed: Column[];
      try {
        sniffed = await describe(conn, `SELECT * FROM ${readerFor(format, files)}`);
      } catch (err) {
        throw await csvLineError(conn, files, err);
      }
      const text = sniffed.filter((c) => c.type === 'VARCHAR').map((c) => str(c.name));
      const extra = text.length > 0 ? `, force_not_null = [${text.join(', ')}]` : '';
      await conn.run(`CREATE TABLE ${name} AS SELECT * FROM ${readerFor(format, files, extra)}`);
    }
    return { columns: await describe(conn, name) };
  } catch (err) {
    return { errors: [dataError((err as Error).message, files, format)] };
  }
}
