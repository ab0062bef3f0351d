/**
 * Metrics computed the plain way, in JavaScript, for tests to check the evaluator's SQL
 * against: deequ's definitions, NULLs skipped, lengths in code points.
 */
export type Value = string | number | null;

const present = <T>(xs: readonly (T | null)[]): T[] => xs.filter((x): x is T => x !== null);

function counts(xs: readonly Value[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of present(xs)) m.set(JSON.stringify(x), (m.get(JSON.stringify(x)) ?? 0) + 1);
  return m;
}

export const completeness = (xs: readonly Value[]) => (xs.length === 0 ? null : present(xs).length / xs.length);

export function uniqueness(xs: readonly Value[]): number | null {
  const n = present(xs).length;
  return n === 0 ? null : [...counts(xs).values()].filter((c) => c === 1).length / n;
}

export const distinct = (xs: readonly Value[]) => counts(xs).size;

export function uniqueValueRatio(xs: readonly Value[]): number | null {
  const c = counts(xs);
  return c.size === 0 ? null : [...c.values()].filter((k) => k === 1).length / c.size;
}

export function entropy(xs: readonly Value[]): number | null {
  const n = present(xs).length;
  if (n === 0) return null;
  return -[...counts(xs).values()].reduce((s, c) => s + (c / n) * Math.log(c / n), 0);
}

export function sum(xs: readonly (number | null)[]): number | null {
  const v = present(xs);
  return v.length === 0 ? null : v.reduce((a, b) => a + b, 0);
}

export function mean(xs: readonly (number | null)[]): number | null {
  const v = present(xs);
  return v.length === 0 ? null : v.reduce((a, b) => a + b / v.length, 0);
}

export function variance(xs: readonly (number | null)[]): number | null {
  const v = present(xs);
  if (v.length === 0) return null;
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
}

export const stddev = (xs: readonly (number | null)[]) => {
  const v = variance(xs);
  return v === null ? null : Math.sqrt(v);
};

/** Text length in code points; NULL has length 0 (deequ's ColumnLength). */
export const codePoints = (s: string | null) => (s === null ? 0 : [...s].length);

/** RE2's `\s`: tab, newline, form feed, carriage return, space. */
export const isWhitespaceOnly = (s: string) => /^[\t\n\f\r ]+$/.test(s);

export function ratio(xs: readonly Value[], pass: (x: Value) => boolean): number | null {
  return xs.length === 0 ? null : xs.filter(pass).length / xs.length;
}

/** True when a and b agree to a relative 1e-9 (or both are null). */
export function close(a: number | null | undefined, b: number | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
