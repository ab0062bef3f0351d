/** Column types and the SQL that reads a column as a number, text, date or timestamp. */
import { ident } from '../sql/quote.js';
import { sparkDate, sparkTimestamp } from '../sql/spark-dates.js';
import type { Column } from '../engine/session.js';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\))$/;

export const isNumeric = (c: Column): boolean => NUMERIC.test(c.type);
export const isText = (c: Column): boolean => c.type === 'VARCHAR';
export const isTemporal = (c: Column): boolean => /^(DATE|TIMESTAMP.*|TIME.*)$/.test(c.type);

/** `"c"` */
export const col = (c: Column): string => ident(c.name);

/** The column as a number: itself when numeric, else TRY_CAST to DOUBLE (NULL when not a number). */
export function asNumber(c: Column): string {
  return isNumeric(c) ? col(c) : `TRY_CAST(${col(c)} AS DOUBLE)`;
}

/** The column as text. */
export function asText(c: Column): string {
  return isText(c) ? col(c) : `CAST(${col(c)} AS VARCHAR)`;
}

/** The column as a DATE (Spark's to_date): dates, timestamps, and text as Spark reads it (`sql/spark-dates.ts`). */
export function asDate(c: Column): string {
  if (c.type === 'DATE') return col(c);
  if (c.type.startsWith('TIMESTAMP')) return `CAST(${col(c)} AS DATE)`;
  return sparkDate(asText(c));
}

/** The column as seconds since the epoch (Spark's to_timestamp, cast to long); text as Spark reads it. */
export function asEpochSeconds(c: Column): string {
  if (c.type === 'DATE' || c.type.startsWith('TIMESTAMP')) return `epoch(${col(c)})`;
  return `epoch(${sparkTimestamp(asText(c))})`;
}

/** `Column.c` or `Multicolumn.a,b`: Glue's metric entity and instance. */
export function entity(names: readonly string[]): string {
  return names.length === 1 ? `Column.${names[0]}` : `Multicolumn.${names.join(',')}`;
}

/** A predicate that holds for rows the where clause selects (`TRUE` without one). */
export function filterOf(where: string | undefined): string {
  return where === undefined ? 'TRUE' : `(${where})`;
}

/** `agg FILTER (WHERE where)`, or `agg` alone. */
export function filtered(agg: string, where: string | undefined): string {
  return where === undefined ? agg : `${agg} FILTER (WHERE ${where})`;
}

/** A row-level flag: rows outside the where clause pass; NULL counts as failing. */
export function rowFlag(predicate: string, where: string | undefined): string {
  const p = `coalesce((${predicate}), false)`;
  return where === undefined ? p : `(CASE WHEN coalesce((${where}), false) THEN ${p} ELSE true END)`;
}
