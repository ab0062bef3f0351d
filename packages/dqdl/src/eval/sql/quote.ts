/** SQL text for DuckDB: identifiers, string and number literals, always quoted safely. */

/** `"name"`, with `"` doubled. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `'text'`, with `'` doubled (DuckDB strings do not treat backslashes specially). */
export function str(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A DOUBLE literal for any JavaScript number, NaN and infinities included. */
export function num(value: number): string {
  if (Number.isNaN(value)) return `'NaN'::DOUBLE`;
  if (!Number.isFinite(value)) return value > 0 ? `'Infinity'::DOUBLE` : `'-Infinity'::DOUBLE`;
  return `${String(value)}::DOUBLE`;
}

/** `'2026-01-31'::DATE` */
export function date(isoDate: string): string {
  return `${str(isoDate)}::DATE`;
}

/** `a, b, c` as quoted identifiers. */
export function idents(names: readonly string[]): string {
  return names.map(ident).join(', ');
}
