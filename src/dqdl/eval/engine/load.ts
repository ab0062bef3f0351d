/**
 * Reads one dataset into the database under a name. Empty files make a dataset with no
 * columns; CSV blanks are empty strings in text columns and NULL in others (as Glue reads
 * CSV); a file that is not valid in its format gives `dq.invalid-data` naming the file and,
 * when DuckDB says, the line.
 */
import { accessSync, constants } from 'node:fs';
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
      return `read_csv(${fileList(files)}${extra})`;
  }
}

function dataError(message: string, files: readonly string[], format: DataFormat): EvalError {
  const file = files.find((f) => message.includes(f) || message.includes(path.resolve(f))) ?? (files.length === 1 ? files[0] : undefined);
  const line = /\bline:? (\d+)/i.exec(message)?.[1];
  const first = message.split('\n')[0] ?? message;
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
      const sniffed = await describe(conn, `SELECT * FROM ${readerFor(format, files)}`);
      const text = sniffed.filter((c) => c.type === 'VARCHAR').map((c) => str(c.name));
      const extra = text.length > 0 ? `, force_not_null = [${text.join(', ')}]` : '';
      await conn.run(`CREATE TABLE ${name} AS SELECT * FROM ${readerFor(format, files, extra)}`);
    }
    return { columns: await describe(conn, name) };
  } catch (err) {
    return { errors: [dataError((err as Error).message, files, format)] };
  }
}
