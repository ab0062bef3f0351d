import { Problem } from '../../kit/errors/problem.js';
import type { KeyValue, TableMarks } from '../domain/types.js';

/**
 * A table source: Glue's JDBC bookmark keys. The rows to process are those
 * whose key tuple is after the committed high-watermark, up to the largest
 * tuple present when the run began (fixed then, so a retry gets the same
 * range). The keys must be strictly increasing, as Glue requires.
 */
export interface TableReader {
  /** The largest key tuple in the table (ordered by the keys in turn), or null when it is empty. */
  maxKey(table: string, keys: readonly string[]): Promise<KeyValue[] | null>;
  ping(): Promise<void>;
}

export interface TableLocation {
  readonly connection: string;
  readonly table: string;
}

const IDENT = '[A-Za-z_][A-Za-z0-9_$]*';
const TABLE_URI = new RegExp(`^table://([A-Za-z0-9_-]+)/(${IDENT}(?:\\.${IDENT})?)$`);

/** `table://<connection>/<schema>.<table>`. */
export function parseTableUri(uri: string): TableLocation | null {
  const m = TABLE_URI.exec(uri);
  return m ? { connection: m[1] as string, table: m[2] as string } : null;
}

export function requireTableUri(uri: string): TableLocation {
  const loc = parseTableUri(uri);
  if (!loc) {
    const message = 'must be table://<connection>/<schema>.<table> with plain identifiers';
    throw new Problem('Source.InvalidUri', { detail: `${JSON.stringify(uri)}: ${message}`, errors: [{ path: '/source', message }] });
  }
  return loc;
}

export function initialTableMarks(keys: readonly string[]): TableMarks {
  return { kind: 'table', keys: [...keys], high: null };
}

/** Compares key tuples element by element (numbers as numbers, otherwise as strings). */
export function compareKeys(a: readonly KeyValue[], b: readonly KeyValue[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/** The range a run reads: (committed high, current max]; empty when nothing is new. */
export function tableRange(marks: TableMarks, max: KeyValue[] | null): { after: KeyValue[] | null; through: KeyValue[] | null } {
  const after = marks.high === null ? null : [...marks.high];
  if (max === null) return { after, through: after };
  if (after !== null && compareKeys(max, after) <= 0) return { after, through: after };
  return { after, through: max };
}
