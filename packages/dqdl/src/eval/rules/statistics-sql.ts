/**
 * The SQL of the moment statistics (sum, mean, population standard deviation and variance,
 * correlation), written so that DuckDB never raises an error where Spark (and deequ, on
 * it) gives a value:
 *
 * - DuckDB's `stddev_pop`, `var_pop` and `corr` raise "out of range" when the sum of
 *   squared deviations (m2) is not finite: NaN or ±Infinity among the values, or squares
 *   that overflow. deequ's Welford state gives NaN there (Spark merges each partial state
 *   into an empty one, and `∞ · 0` is NaN), so these give NaN.
 * - `sum` and `avg` of a wide DECIMAL (precision above 18) or HUGEINT raise on overflow of
 *   the exact 128-bit sum: those are summed exactly, as Spark sums a decimal before deequ
 *   reads it as a double (ten 0.1s are 1.0, not 0.9999999999999999), with the sum of doubles
 *   (Infinity on overflow) as the fallback when that raises; narrower integers and decimals
 *   are summed exactly, then read as a double.
 *
 * A moment is DuckDB's own aggregate, with an error-free fallback that the plan runs only
 * when the aggregate pass fails (so the usual data pays for one aggregate, not eight). The
 * fallback is error-free by construction: values below 2^480 in magnitude cannot make m2
 * overflow (n · 2^962 < 2^1024 for any n below 2^62), and values scaled by 2^-600 (exact:
 * a power of two) cannot either. It computes the value both ways and chooses: the plain one
 * when every value is below 2^480, else the scaled one rescaled, or NaN when m2 overflows.
 * Where DuckDB's aggregate does not raise, the two agree: scaling by a power of two is
 * exact short of underflow.
 */
import type { Column } from '../engine/session.js';
import { col } from './columns.js';

/** Values below this in magnitude are safe for DuckDB's moment aggregates. */
const SAFE = 'pow(2.0, 480)';
/** The exact power of two large values are scaled by. */
const SCALE = 'pow(2.0, -600)';
const UNSCALE = 'pow(2.0, 600)';
/** m2 of the scaled values at or above this means m2 itself (× 2^1200) overflows a double. */
const M2_OVERFLOW = 'pow(2.0, -176)';
const NAN = "'NaN'::DOUBLE";

/** `fn FILTER (WHERE a AND b ...)`; `undefined` conditions are left out. */
function agg(fn: string, ...conditions: ReadonlyArray<string | undefined>): string {
  const cs = conditions.filter((c): c is string => c !== undefined);
  return cs.length === 0 ? fn : `${fn} FILTER (WHERE ${cs.map((c) => `(${c})`).join(' AND ')})`;
}

/** An aggregate and, where it can raise, the error-free form that replaces it when it does. */
export interface GuardedAggregate {
  readonly sql: string;
  readonly fallback?: string;
}

/** The column as a DOUBLE. */
export function asDouble(c: Column): string {
  return c.type === 'DOUBLE' ? col(c) : `CAST(${col(c)} AS DOUBLE)`;
}

/** Types whose exact sum is 128-bit and can overflow: summed as doubles. */
function sumsAsDouble(c: Column): boolean {
  const decimal = /^DECIMAL\((\d+),\s*\d+\)$/.exec(c.type);
  return (decimal !== null && Number(decimal[1]) > 18) || c.type === 'HUGEINT' || c.type === 'UHUGEINT';
}

/** `fn` of the column, exact; a wide one's fallback sums doubles. */
function summed(fn: 'sum' | 'avg', c: Column, where: string | undefined): GuardedAggregate {
  const exact = agg(`${fn}(${col(c)})`, where);
  return sumsAsDouble(c) ? { sql: exact, fallback: agg(`${fn}(${asDouble(c)})`, where) } : { sql: exact };
}

/** Spark's sum: NaN with NaN among the values, ±Infinity on overflow of a double sum. */
export function sumSql(c: Column, where: string | undefined): GuardedAggregate {
  return summed('sum', c, where);
}

/** Spark's avg (deequ's sum / count). */
export function meanSql(c: Column, where: string | undefined): GuardedAggregate {
  return summed('avg', c, where);
}

/**
 * A population moment of `x` (a DOUBLE expression): `plain` and `scaled` are the aggregate
 * over the values and over the values times 2^-600; `rescale` turns the scaled result back.
 */
function moment(x: string, where: string | undefined, fn: 'stddev_pop' | 'var_pop', rescale: (scaled: string) => string): string {
  const n = agg(`count(${x})`, where);
  const finite = `isfinite(${x})`;
  const m2Scaled = `${agg(`var_pop(${x} * ${SCALE})`, where, finite)} * ${n}`;
  return `CASE
    WHEN ${n} = 0 THEN NULL
    WHEN ${agg('count(*)', where, `NOT ${finite}`)} > 0 THEN ${NAN}
    WHEN ${agg('count(*)', where, `abs(${x}) >= ${SAFE}`)} = 0 THEN ${agg(`${fn}(${x})`, where, `abs(${x}) < ${SAFE}`)}
    WHEN ${m2Scaled} >= ${M2_OVERFLOW} THEN ${NAN}
    ELSE ${rescale(agg(`${fn}(${x} * ${SCALE})`, where, finite))}
  END`;
}

/**
 * `value`, or NaN when one of the doubles `xs` is NaN or ±Infinity in a row where all are
 * present (DuckDB does not always raise there: the deviation of one NaN is 0 to it). `x * 0`
 * is 0 for a finite x and NaN otherwise, so their sum is a cheap test.
 */
function nanIfNotFinite(xs: readonly string[], where: string | undefined, value: string): string {
  return `CASE WHEN isnan(${agg(`sum(${xs.map((x) => `${x} * 0`).join(' + ')})`, where)}) THEN ${NAN} ELSE ${value} END`;
}

/** Population standard deviation: NaN when the values hold NaN or ±Infinity, or m2 overflows. */
export function stddevSql(c: Column, where: string | undefined): GuardedAggregate {
  const x = asDouble(c);
  return {
    sql: nanIfNotFinite([x], where, agg(`stddev_pop(${x})`, where)),
    fallback: moment(x, where, 'stddev_pop', (s) => `${s} * ${UNSCALE}`),
  };
}

/** Population variance: NaN when the values hold NaN or ±Infinity, or m2 overflows. */
export function varianceSql(c: Column, where: string | undefined): GuardedAggregate {
  const x = asDouble(c);
  return {
    sql: nanIfNotFinite([x], where, agg(`var_pop(${x})`, where)),
    fallback: moment(x, where, 'var_pop', (s) => `${s} * ${UNSCALE} * ${UNSCALE}`),
  };
}

/**
 * Pearson correlation over the rows where both are present: NaN with NaN or ±Infinity
 * among them, when either column's m2 overflows, and (as DuckDB and deequ give it) when
 * either column is constant or there is one row. A column with large values is scaled
 * (correlation does not change when one column is scaled); the other is not, so its small
 * values do not underflow.
 */
export function correlationSql(a: Column, b: Column, where: string | undefined): GuardedAggregate {
  const x = asDouble(a);
  const y = asDouble(b);
  return { sql: nanIfNotFinite([x, y], where, agg(`corr(${x}, ${y})`, where)), fallback: correlationFallback(x, y, where) };
}

function correlationFallback(x: string, y: string, where: string | undefined): string {
  const both = `${x} IS NOT NULL AND ${y} IS NOT NULL`;
  const finite = `isfinite(${x}) AND isfinite(${y})`;
  const n = agg('count(*)', where, both);
  const big = (v: string) => `${agg('count(*)', where, both, `abs(${v}) >= ${SAFE}`)} > 0`;
  const overflows = (v: string) => `${agg(`var_pop(${v} * ${SCALE})`, where, both, finite)} * ${n} >= ${M2_OVERFLOW}`;
  const small = (v: string) => `abs(${v}) < ${SAFE}`;
  return `CASE
    WHEN ${n} = 0 THEN NULL
    WHEN ${agg('count(*)', where, both, `NOT (${finite})`)} > 0 THEN ${NAN}
    WHEN NOT ${big(x)} AND NOT ${big(y)} THEN ${agg(`corr(${x}, ${y})`, where, both, small(x), small(y))}
    WHEN ${overflows(x)} OR ${overflows(y)} THEN ${NAN}
    WHEN NOT ${big(y)} THEN ${agg(`corr(${x} * ${SCALE}, ${y})`, where, both, finite, small(y))}
    WHEN NOT ${big(x)} THEN ${agg(`corr(${x}, ${y} * ${SCALE})`, where, both, finite, small(x))}
    ELSE ${agg(`corr(${x} * ${SCALE}, ${y} * ${SCALE})`, where, both, finite)}
  END`;
}
