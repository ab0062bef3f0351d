import { createHash } from 'node:crypto';
import type { TableRef } from '../domain/types.js';

/** SQL text helpers shared by every compiler. Names are always quoted; values always go through a literal. */

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteTable(ref: TableRef): string {
  return ref.schema ? `${quoteIdent(ref.schema)}.${quoteIdent(ref.name)}` : quoteIdent(ref.name);
}

/** Standard SQL string literal: quotes doubled, nothing else special. */
export function standardLiteral(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (value.includes('\u0000')) throw new Error('a string literal cannot hold a NUL character');
  return `'${value.replaceAll("'", "''")}'`;
}

/** A signed 64-bit number for a key (advisory locks). */
export function keyHash64(key: string): string {
  return createHash('sha256').update(key).digest().readBigInt64BE(0).toString();
}

export const LEDGER_COLUMNS = [
  'idempotency_key',
  'fingerprint',
  'load_id',
  'target_table',
  'mode',
  'rows_loaded',
  'rows_inserted',
  'rows_updated',
  'rows_deleted',
  'bytes',
  'objects',
  'committed_at',
] as const;
