/**
 * Text to DATE and TIMESTAMP as Spark reads it (SparkDateTimeUtils.stringToDate and
 * parseTimestampString, Spark 3.5/4.0), as DuckDB SQL: every place the evaluator turns text
 * into a date or a timestamp goes through these, so `"2024/01/05"` is NULL here as it is in
 * Glue. Both trim bytes 0x00–0x20 and 0x7F at either end, take a `+`/`-` sign before the year,
 * and give NULL for anything else (Spark's non-ANSI cast).
 *
 * Dates: `yyyy`, `yyyy-[m]m`, `yyyy-[m]m-[d]d`, and `yyyy-[m]m-[d]d` followed by a space or
 * `T` and anything at all; the year has 4 to 7 digits, and the day must exist.
 *
 * Timestamps: the date forms above, optionally followed by ` ` or `T` and
 * `[h]h[:[m]m[:[s]s[.fraction]]]` and a zone after the seconds (`Z`, `+h`, `+hh:mm`,
 * `UTC+h`, `GMT-hh:mm`, a region id such as `Europe/Paris`); or a time alone
 * (`[h]h:[m]m[:[s]s…]`, or `T` first), which takes today's date (UTC). The year has 4 to 6
 * digits; fractions beyond microseconds are cut. A time without a zone is UTC, as Glue runs.
 * Results are DuckDB TIMESTAMP (UTC). Years outside DuckDB's range are NULL.
 */
import { str } from './quote.js';

/** Spark's trim: Character.isWhitespace or isISOControl, on single bytes. */
const TRIM = '[\\x00-\\x20\\x7f]*';

const DATE_RE = `^${TRIM}([+-]?)([0-9]{4,7})(?:-([0-9]{1,2})(?:-([0-9]{1,2})(?:[ T][\\s\\S]*)?)?)?${TRIM}$`;

const FRACTION_AND_ZONE = `(?:\\.([0-9]*))?(?:([^0-9.][\\s\\S]*))?`;
const TIME = `([0-9]{1,2})(?::([0-9]{1,2})(?::([0-9]{1,2})${FRACTION_AND_ZONE})?)?`;
const TIMESTAMP_RE = `^${TRIM}([+-]?)([0-9]{4,6})(?:-([0-9]{1,2})(?:-([0-9]{1,2})(?:[ T]${TIME})?)?)?${TRIM}$`;
/** `[h]h:[m]m…` (no sign), or `T[h]h…` when `T` is the very first character. */
const TIME_ONLY_RE = `^(?:${TRIM}|T)([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})${FRACTION_AND_ZONE})?${TRIM}$`;
const T_HOUR_RE = `^T([0-9]{1,2})${TRIM}$`;
const OFFSET_RE = '^(?:UTC|GMT|UT)?([+-])([0-9]{1,2})(?::?([0-9]{1,2}))?(?::?([0-9]{2}))?$';

const group = (text: string, re: string, n: number) => `regexp_extract(${text}, ${str(re)}, ${n})`;
const int = (sql: string, fallback: number) => `coalesce(TRY_CAST(nullif(${sql}, '') AS INTEGER), ${fallback})`;

/** make_date(y, m, d), or NULL when the date does not exist or DuckDB cannot hold it. */
function makeDate(y: string, m: string, d: string): string {
  return `CASE WHEN ${y} BETWEEN -5877640 AND 5877640 AND ${m} BETWEEN 1 AND 12 AND ${d} BETWEEN 1 AND 31 THEN try(make_date(${y}, ${m}, ${d})) END`;
}

/** The text as a DATE as Spark's `to_date`/`CAST(… AS DATE)` reads it, or NULL. `text` is VARCHAR SQL. */
export function sparkDate(text: string): string {
  const g = (n: number) => group(text, DATE_RE, n);
  const year = `(CASE WHEN ${g(1)} = '-' THEN -1 ELSE 1 END * CAST(${g(2)} AS INTEGER))`;
  return `(CASE WHEN regexp_full_match(${text}, ${str(DATE_RE)}) THEN ${makeDate(year, int(g(3), 1), int(g(4), 1))} END)`;
}

/** Seconds east of UTC of a Spark zone id, as SQL (NULL when it is not an offset form). */
function offsetSeconds(zone: string): string {
  const g = (n: number) => group(zone, OFFSET_RE, n);
  const h = int(g(2), 0);
  const m = int(g(3), 0);
  const s = int(g(4), 0);
  return `(CASE WHEN ${zone} IN ('Z', 'UTC', 'GMT', 'UT') THEN 0 WHEN regexp_full_match(${zone}, ${str(OFFSET_RE)}) AND ${h} <= 18 AND ${m} <= 59 AND ${s} <= 59 THEN (CASE WHEN ${g(1)} = '-' THEN -1 ELSE 1 END) * (${h} * 3600 + ${m} * 60 + ${s}) END)`;
}

/** A local date and time in a zone (trimmed text, '' for none) as a UTC TIMESTAMP. */
function atZone(local: string, zone: string): string {
  const z = `trim(${zone}, ${str(' \t\n\r\f\u000b')})`;
  const offset = offsetSeconds(z);
  return `(CASE WHEN ${zone} = '' THEN ${local} WHEN ${offset} IS NOT NULL THEN ${local} - to_seconds(${offset}) WHEN regexp_full_match(${z}, '[A-Za-z][A-Za-z0-9_+\\-]*(?:/[A-Za-z0-9_+\\-]+)*') THEN timezone('UTC', TRY_CAST(CAST(${local} AS VARCHAR) || ' ' || ${z} AS TIMESTAMPTZ)) END)`;
}

/** Hour, minute, second and fraction digits as a time of day, or NULL when out of range. */
function timeOfDay(h: string, m: string, s: string, fraction: string): string {
  const micros = `CAST(rpad(left(${fraction}, 6), 6, '0') AS BIGINT)`;
  return `(CASE WHEN ${h} <= 23 AND ${m} <= 59 AND ${s} <= 59 THEN to_seconds(${h} * 3600 + ${m} * 60 + ${s}) + to_microseconds(${micros}) END)`;
}

/** Today's date in UTC (Glue's session time zone). */
export const TODAY = `CAST(timezone('UTC', current_timestamp) AS DATE)`;
/** Now as a UTC TIMESTAMP. */
export const NOW = `timezone('UTC', current_timestamp)`;

/** The text as a TIMESTAMP (UTC) as Spark's `CAST(… AS TIMESTAMP)` reads it, or NULL. `text` is VARCHAR SQL. */
export function sparkTimestamp(text: string): string {
  const d = (n: number) => group(text, TIMESTAMP_RE, n);
  const year = `(CASE WHEN ${d(1)} = '-' THEN -1 ELSE 1 END * CAST(${d(2)} AS INTEGER))`;
  const date = makeDate(year, int(d(3), 1), int(d(4), 1));
  const full = atZone(`(${date} + ${timeOfDay(int(d(5), 0), int(d(6), 0), int(d(7), 0), d(8))})`, d(9));
  const t = (n: number) => group(text, TIME_ONLY_RE, n);
  const timeOnly = atZone(`(${TODAY} + ${timeOfDay(int(t(1), 0), int(t(2), 0), int(t(3), 0), t(4))})`, t(5));
  const tHour = `(${TODAY} + ${timeOfDay(int(group(text, T_HOUR_RE, 1), 0), '0', '0', "''")})`;
  return `(CASE WHEN regexp_full_match(${text}, ${str(TIMESTAMP_RE)}) THEN ${full} WHEN regexp_full_match(${text}, ${str(TIME_ONLY_RE)}) THEN ${timeOnly} WHEN regexp_full_match(${text}, ${str(T_HOUR_RE)}) THEN ${tHour} END)`;
}

/** Days in a month of the proleptic Gregorian calendar (any year, as java.time). */
const daysIn = (y: number, m: number): number => {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
};
const validDate = (sign: string, y: string, m = '', d = ''): boolean => {
  const year = Number(y) * (sign === '-' ? -1 : 1);
  const month = Number(m || 1);
  const day = Number(d || 1);
  return Math.abs(year) <= 5877640 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
};
const validTime = (h = '0', m = '0', s = '0'): boolean => Number(h || 0) <= 23 && Number(m || 0) <= 59 && Number(s || 0) <= 59;

/** Whether Spark reads the text as a date (for `DATE '…'` literals, which Spark checks when parsing). */
export function isSparkDate(text: string): boolean {
  const m = new RegExp(DATE_RE).exec(text);
  return m !== null && validDate(m[1]!, m[2]!, m[3], m[4]);
}

/** Whether Spark reads the text as a timestamp (a zone name is taken on trust: an unknown one is NULL). */
export function isSparkTimestamp(text: string): boolean {
  const full = new RegExp(TIMESTAMP_RE).exec(text);
  if (full !== null) return validDate(full[1]!, full[2]!, full[3], full[4]) && validTime(full[5], full[6], full[7]);
  const time = new RegExp(TIME_ONLY_RE).exec(text);
  if (time !== null) return validTime(time[1], time[2], time[3]);
  const hour = new RegExp(T_HOUR_RE).exec(text);
  return hour !== null && validTime(hour[1]);
}
