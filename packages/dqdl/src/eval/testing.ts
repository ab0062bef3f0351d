/** Test helpers: write small datasets to files, and evaluate DQDL text on them. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll } from 'vitest';
import { parseRuleset } from '../index.js';
import { evaluate, type EvaluateOptions, type EvaluateResult } from './evaluate.js';
import { openSqlBinder } from './engine/sql-binder.js';
import type { SqlParser } from './sql/guard.js';
import { ident, str } from './sql/quote.js';
import type { DataFormat, DataInput } from './types.js';

export type Cell = string | number | boolean | null;
export type Rows = ReadonlyArray<Readonly<Record<string, Cell>>>;

export function tempDir(prefix = 'dq-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

function csvCell(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * One JSON line; NaN and ±Infinity as the bare tokens `NaN`, `Infinity`, `-Infinity`, which
 * DuckDB (and Spark's JSON reader) read as doubles.
 */
function jsonLine(columns: readonly string[], r: Readonly<Record<string, Cell>>): string {
  const cells = columns.map((c) => {
    const v = r[c] ?? null;
    return `${JSON.stringify(c)}:${typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v)}`;
  });
  return `{${cells.join(',')}}`;
}

/**
 * Writes rows as CSV, JSON lines or Parquet. `types` (DuckDB types by column) makes the
 * Parquet columns typed; other columns are inferred from the JSON values.
 */
export async function writeData(dir: string, name: string, format: DataFormat, rows: Rows, options: { columns?: readonly string[]; types?: Readonly<Record<string, string>> } = {}): Promise<string> {
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  const ext = format === 'jsonl' ? 'jsonl' : format;
  const file = path.join(dir, `${name}.${ext}`);
  if (format === 'csv') {
    const lines = [columns.map((c) => csvCell(c)).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? null)).join(','))];
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  }
  const jsonl = path.join(dir, `${name}.jsonl`);
  writeFileSync(jsonl, rows.map((r) => jsonLine(columns, r)).join('\n') + (rows.length > 0 ? '\n' : ''));
  if (format === 'jsonl') return file;
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const types = options.types ?? {};
    const schema = columns.map((c) => `${str(c)}: ${str(types[c] ?? 'VARCHAR')}`).join(', ');
    const select = columns.map((c) => (types[c] === undefined ? ident(c) : `CAST(${ident(c)} AS ${types[c]}) AS ${ident(c)}`)).join(', ');
    const source = rows.length === 0 || options.types !== undefined ? `read_json(${str(jsonl)}, format = 'newline_delimited', columns = {${schema}})` : `read_json(${str(jsonl)}, format = 'newline_delimited')`;
    await conn.run(`COPY (SELECT ${select} FROM ${source}) TO ${str(file)} (FORMAT parquet)`);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return file;
}

/** Parses `text` (which must be valid) and evaluates it. */
export async function evaluateText(text: string, data: DataInput, options: Partial<Omit<EvaluateOptions, 'ruleset' | 'data'>> = {}): Promise<EvaluateResult> {
  const { ruleset, diagnostics } = parseRuleset(text);
  if (ruleset === undefined) throw new Error(`invalid ruleset: ${diagnostics.map((d) => d.message).join('; ')}`);
  return evaluate({ ruleset, data, ...options });
}

/** `Rules = [ a, b ]` */
export const rules = (...items: readonly string[]) => `Rules = [\n  ${items.join(',\n  ')}\n]`;

/** DuckDB's parser for the tests of one file: opened before them, closed after them. */
export function sqlParserForTests(): SqlParser {
  let parser: Awaited<ReturnType<typeof openSqlBinder>> | undefined;
  beforeAll(async () => {
    parser = await openSqlBinder();
  });
  afterAll(() => parser?.close());
  return (sql) => parser!.parse(sql);
}
