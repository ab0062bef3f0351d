import { Problem } from '../../../kit/errors/problem.js';
import { causeChain } from '../cause-chain.js';
import type { ErrorClassifier } from '../target.js';

/** DuckDB reports errors as `<Kind> Error: message`; the kind decides the code. */
export function classifyDuckdb(err: unknown): Problem | undefined {
  if (err instanceof Problem) return err;
  const message = err instanceof Error ? err.message : String(err);
  const first = message.split('\n')[0] ?? message;
  const kind = /^([A-Za-z ]+?) Error:/.exec(first)?.[1] ?? '';
  const detail = first;
  if (/Could not set lock on file|Conflicting lock/i.test(message)) {
    return new Problem('Warehouse.Unavailable', { detail: `the DuckDB file is locked by another process: ${detail}`, cause: err });
  }
  if (/conflict/i.test(kind) || /write-write conflict|Transaction conflict/i.test(message)) {
    return new Problem('Warehouse.SerializationConflict', { detail, cause: err });
  }
  if (kind === 'Catalog' && /does not exist/i.test(message)) return new Problem('TableNotFound', { detail, cause: err });
  if (kind === 'Binder' && /column/i.test(message)) return new Problem('SchemaMismatch', { detail, cause: err });
  if (kind === 'Permission') return new Problem('PermissionDenied', { detail, cause: err });
  if (kind === 'Out of Memory' || kind === 'IO' || kind === 'Interrupt') return new Problem('Warehouse.Unavailable', { detail, cause: err });
  if (['Conversion', 'Invalid Input', 'Constraint', 'Out of Range'].includes(kind) || /CSV Error|Malformed JSON/i.test(message)) {
    const lines = message.split('\n').map((l) => l.trim()).filter((l) => /line|column|could not convert|expected/i.test(l)).slice(0, 5);
    return new Problem('DataError', { detail, errors: (lines.length > 0 ? lines : [detail]).map((m) => ({ path: '/batch', message: m })), cause: err });
  }
  return undefined;
}

/** `Constraint Error: …`: a duplicate key, a NULL in a NOT NULL column. */
export function isDuckdbIntegrityViolation(err: unknown): boolean {
  for (const e of causeChain(err)) if (/^Constraint Error:/.test(e instanceof Error ? e.message : String(e))) return true;
  return false;
}

export const duckdbErrors: ErrorClassifier = { classify: classifyDuckdb, isIntegrityViolation: isDuckdbIntegrityViolation };
