import type { LoadMode } from './types.js';
import type { Row, WarehouseTarget } from '../target/target.js';

/** A committed load, as the ledger in the target records it. */
export interface LedgerRecord {
  readonly key: string;
  readonly fingerprint: string;
  readonly loadId: string;
  readonly table: string;
  readonly mode: LoadMode;
  readonly rows_loaded: number;
  readonly rows_inserted: number;
  readonly rows_updated: number;
  readonly rows_deleted: number;
  readonly bytes: number;
  readonly objects: number;
  /** ISO-8601 UTC. */
  readonly committed_at: string;
}

const ensured = new WeakMap<WarehouseTarget, Promise<void>>();

/**
 * Makes sure the ledger table exists, once per target and process. It is
 * read first, and created only when missing: creating needs privileges a
 * loader's user may lack once the table is there (PostgreSQL checks CREATE on
 * the schema even for `IF NOT EXISTS`). Concurrent creators are fine.
 */
export function ensureLedger(target: WarehouseTarget): Promise<void> {
  let pending = ensured.get(target);
  if (!pending) {
    pending = (async () => {
      if (await exists(target)) return;
      const statements = target.compiler.createLedger(target.ledger);
      const table = statements.at(-1) as string;
      try {
        await create(target, table);
      } catch (err) {
        // The schema is missing too: create it, then the table.
        if (target.errors.classify(err)?.code !== 'TableNotFound') throw err;
        for (const sql of statements) await create(target, sql);
      }
    })();
    ensured.set(target, pending);
    pending.catch(() => ensured.delete(target));
  }
  return pending;
}

async function exists(target: WarehouseTarget): Promise<boolean> {
  try {
    await target.driver.query(target.compiler.readLedger(target.ledger, ''));
    return true;
  } catch (err) {
    if (target.errors.classify(err)?.code === 'TableNotFound') return false;
    throw err;
  }
}

async function create(target: WarehouseTarget, sql: string): Promise<void> {
  try {
    await target.driver.run(sql);
  } catch (err) {
    // Two loaders creating it at once: the loser sees a duplicate; the object exists.
    const code = (err as { code?: string }).code;
    if (code !== '23505' && code !== '42P07' && code !== '42P06') throw err;
  }
}

export async function readLedger(target: WarehouseTarget, key: string): Promise<LedgerRecord | undefined> {
  const rows = await target.driver.query(target.compiler.readLedger(target.ledger, key));
  const row = rows[0];
  return row ? toRecord(row) : undefined;
}

function toRecord(row: Row): LedgerRecord {
  const n = (v: unknown) => Number(v ?? 0);
  return {
    key: String(row.idempotency_key),
    fingerprint: String(row.fingerprint),
    loadId: String(row.load_id),
    table: String(row.target_table),
    mode: String(row.mode) as LoadMode,
    rows_loaded: n(row.rows_loaded),
    rows_inserted: n(row.rows_inserted),
    rows_updated: n(row.rows_updated),
    rows_deleted: n(row.rows_deleted),
    bytes: n(row.bytes),
    objects: n(row.objects),
    committed_at: isoUtc(String(row.committed_at)),
  };
}

/** `2026-11-26 10:00:03.120456` (UTC, as every target stores it) → `2026-11-26T10:00:03.120Z`. */
export function isoUtc(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(text.trim());
  if (!m) return text;
  const ms = ((m[3] ?? '.000') + '000').slice(0, 4);
  return `${m[1]}T${m[2]}${ms}Z`;
}
