import { Problem } from '../../kit/errors/problem.js';

/**
 * Names the loader gives columns of its own in staging tables all begin with this prefix,
 * and a batch column may not: the two can never collide, on any target. Compared without
 * case, as DuckDB and Redshift compare names.
 */
export const RESERVED_COLUMN_PREFIX = '__dagwright_';

/** The staging column that numbers rows in load order (PostgreSQL, DuckDB). */
export const LOAD_ORDER_COLUMN = `${RESERVED_COLUMN_PREFIX}seq`;
/** The column a dedupe numbers each key's rows in (Redshift's `ROW_NUMBER()`). */
export const ROW_NUMBER_COLUMN = `${RESERVED_COLUMN_PREFIX}rn`;

export function isReservedColumn(name: string): boolean {
  return name.toLowerCase().startsWith(RESERVED_COLUMN_PREFIX);
}

/** `422 Load.ReservedColumn` when a batch column has the reserved prefix. */
export function requireUnreserved(names: readonly string[]): void {
  const reserved = names.map((name, i) => ({ name, i })).filter((c) => isReservedColumn(c.name));
  if (reserved.length === 0) return;
  throw new Problem('Load.ReservedColumn', {
    detail: `column names beginning with ${RESERVED_COLUMN_PREFIX} are the loader's own: ${reserved.map((c) => c.name).join(', ')}; rename them in the data`,
    errors: reserved.map((c) => ({ path: `/columns/${c.i}`, message: `begins with the reserved prefix ${RESERVED_COLUMN_PREFIX}` })),
  });
}
