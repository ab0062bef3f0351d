/**
 * The Spark SQL functions where clauses and CustomSql may call, with their arity and their
 * DuckDB form. Each keeps Spark's meaning (3.5, non-ANSI): text becomes a date or timestamp
 * as Spark reads it (`spark-dates.ts`), casts that fail give NULL, `substring` counts from 1
 * (0 is 1, negative from the end), `datediff` is (end, start), `concat` is NULL when any
 * argument is. A call to anything else is refused where it stands.
 */
import { str } from './quote.js';
import { NOW, sparkDate, sparkTimestamp, TODAY } from './spark-dates.js';
import { javaRegexProblem } from './spark-patterns.js';

export interface Arg {
  /** The argument translated to DuckDB. */
  readonly sql: string;
  /** Its value, when the argument is a string literal and nothing else. */
  readonly literal?: string;
  /** Offset of the argument in the original text. */
  readonly offset: number;
}

export interface FunctionProblem {
  readonly message: string;
  readonly offset: number;
}

export interface SparkFunction {
  readonly min: number;
  readonly max: number;
  render(args: readonly Arg[], name: string): string | FunctionProblem;
}

const text = (a: Arg) => `CAST(${a.sql} AS VARCHAR)`;
/** Spark's implicit cast of an argument to DATE / TIMESTAMP. */
export const toDate = (sql: string) => sparkDate(`CAST(${sql} AS VARCHAR)`);
export const toTimestamp = (sql: string) => sparkTimestamp(`CAST(${sql} AS VARCHAR)`);
const many = Number.POSITIVE_INFINITY;

const same = (duck: string, min: number, max: number): SparkFunction => ({ min, max, render: (args) => `${duck}(${args.map((a) => a.sql).join(', ')})` });
const onText = (duck: string): SparkFunction => ({ min: 1, max: 1, render: ([a]) => `${duck}(${text(a!)})` });
const onDate = (duck: string): SparkFunction => ({ min: 1, max: 1, render: ([a]) => `${duck}(${toDate(a!.sql)})` });
const onTimestamp = (duck: string): SparkFunction => ({ min: 1, max: 1, render: ([a]) => `${duck}(${toTimestamp(a!.sql)})` });

/** A regex argument: a string literal RE2 reads as Java does, or the problem. */
function regex(a: Arg, name: string): string | FunctionProblem {
  if (a.literal === undefined) return { message: `${name} takes its pattern as a string literal`, offset: a.offset };
  const problem = javaRegexProblem(a.literal);
  return problem === undefined ? str(a.literal) : { message: `'${a.literal}': ${problem.message} (at pattern offset ${problem.index})`, offset: a.offset };
}

const lit = (sql: string): Arg => ({ sql, offset: 0 });

/** Spark's substringSQL: 1-based; 0 is 1; negative counts from the end; the end is start + len before clamping. */
function substring(args: readonly Arg[]): string {
  const s = text(args[0]!);
  const pos = `CAST(${args[1]!.sql} AS BIGINT)`;
  const start = `(CASE WHEN ${pos} > 0 THEN ${pos} - 1 WHEN ${pos} < 0 THEN length(${s}) + ${pos} ELSE 0 END)`;
  const from = `greatest(${start}, 0)`;
  if (args.length === 2) return `(CASE WHEN ${pos} IS NOT NULL THEN substring(${s}, ${from} + 1) END)`;
  const len = `CAST(${args[2]!.sql} AS BIGINT)`;
  const end = `(${start} + ${len})`;
  return `(CASE WHEN ${pos} IS NULL OR ${len} IS NULL THEN NULL WHEN ${from} >= ${end} THEN (CASE WHEN ${s} IS NOT NULL THEN '' END) ELSE substring(${s}, ${from} + 1, ${end} - ${from}) END)`;
}

/** Spark datetime pattern letters (DateTimeFormatter) to strptime, for to_date(text, format). */
const PATTERN_LETTERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^yyyy/, '%Y'],
  [/^yy/, '%y'],
  [/^y/, '%Y'],
  [/^MMMM/, '%B'],
  [/^MMM/, '%b'],
  [/^MM?/, '%m'],
  [/^dd?/, '%d'],
  [/^HH?/, '%H'],
  [/^hh?/, '%I'],
  [/^mm?/, '%M'],
  [/^ss?/, '%S'],
  [/^SSSSSS/, '%f'],
  [/^SSS/, '%g'],
  [/^a/, '%p'],
  [/^EEEE/, '%A'],
  [/^EEE/, '%a'],
  [/^DDD/, '%j'],
];

/** A Spark datetime pattern as a DuckDB strptime format, or the offset of what it cannot take. */
export function strptimeFormat(pattern: string): string | { offset: number; message: string } {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const rest = pattern.slice(i);
    const c = pattern[i] as string;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      const close = pattern.indexOf("'", i + 1);
      if (close === -1) return { offset: i, message: 'unterminated quoted text in the date pattern' };
      out += pattern.slice(i + 1, close).replaceAll('%', '%%');
      i = close + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      const found = PATTERN_LETTERS.find(([re]) => re.test(rest));
      const run = /^([A-Za-z])\1*/.exec(rest)![0];
      if (found === undefined || found[0].exec(rest)![0].length !== run.length) return { offset: i, message: `the date pattern letter(s) '${run}' are not supported (use y, M, d, H, h, m, s, S, a, E, D)` };
      out += found[1];
      i += run.length;
      continue;
    }
    out += c === '%' ? '%%' : c;
    i++;
  }
  return out;
}

function toDateWithFormat(args: readonly Arg[]): string | FunctionProblem {
  if (args.length === 1) return toDate(args[0]!.sql);
  const fmt = args[1]!;
  if (fmt.literal === undefined) return { message: 'to_date takes its format as a string literal', offset: fmt.offset };
  const f = strptimeFormat(fmt.literal);
  if (typeof f !== 'string') return { message: f.message, offset: fmt.offset };
  return `CAST(try_strptime(${text(args[0]!)}, ${str(f)}) AS DATE)`;
}

function concat(args: readonly Arg[]): string {
  return `(${args.map(text).join(' || ')})`;
}

export const SPARK_FUNCTIONS: ReadonlyMap<string, SparkFunction> = new Map<string, SparkFunction>([
  // dates
  ['current_date', { min: 0, max: 0, render: () => TODAY }],
  ['current_timestamp', { min: 0, max: 0, render: () => NOW }],
  ['to_date', { min: 1, max: 2, render: toDateWithFormat }],
  ['to_timestamp', { min: 1, max: 1, render: ([a]) => toTimestamp(a!.sql) }],
  ['date_add', { min: 2, max: 2, render: ([d, n]) => `(${toDate(d!.sql)} + CAST(${n!.sql} AS INTEGER))` }],
  ['date_sub', { min: 2, max: 2, render: ([d, n]) => `(${toDate(d!.sql)} - CAST(${n!.sql} AS INTEGER))` }],
  ['datediff', { min: 2, max: 2, render: ([end, start]) => `(${toDate(end!.sql)} - ${toDate(start!.sql)})` }],
  ['year', onDate('year')],
  ['month', onDate('month')],
  ['day', onDate('day')],
  ['dayofmonth', onDate('day')],
  ['dayofweek', { min: 1, max: 1, render: ([a]) => `(dayofweek(${toDate(a!.sql)}) + 1)` }],
  ['hour', onTimestamp('hour')],
  ['minute', onTimestamp('minute')],
  ['second', onTimestamp('second')],
  // text
  ['substring', { min: 2, max: 3, render: substring }],
  ['substr', { min: 2, max: 3, render: substring }],
  ['length', onText('length')],
  ['char_length', onText('length')],
  ['character_length', onText('length')],
  ['lower', onText('lower')],
  ['lcase', onText('lower')],
  ['upper', onText('upper')],
  ['ucase', onText('upper')],
  ['trim', { min: 1, max: 1, render: ([a]) => `trim(${text(a!)}, ' ')` }],
  ['ltrim', { min: 1, max: 1, render: ([a]) => `ltrim(${text(a!)}, ' ')` }],
  ['rtrim', { min: 1, max: 1, render: ([a]) => `rtrim(${text(a!)}, ' ')` }],
  ['concat', { min: 1, max: many, render: concat }],
  ['left', { min: 2, max: 2, render: ([s, n]) => substring([s!, lit('1'), n!]) }],
  ['right', { min: 2, max: 2, render: ([s, n]) => `(CASE WHEN CAST(${n!.sql} AS BIGINT) <= 0 THEN (CASE WHEN ${text(s!)} IS NOT NULL THEN '' END) ELSE ${substring([s!, lit(`-CAST(${n!.sql} AS BIGINT)`)])} END)` }],
  ['startswith', { min: 2, max: 2, render: ([s, p]) => `starts_with(${text(s!)}, ${text(p!)})` }],
  ['endswith', { min: 2, max: 2, render: ([s, p]) => `ends_with(${text(s!)}, ${text(p!)})` }],
  ['contains', { min: 2, max: 2, render: ([s, p]) => `contains(${text(s!)}, ${text(p!)})` }],
  [
    'regexp_like',
    {
      min: 2,
      max: 2,
      render: ([s, p]) => {
        const r = regex(p!, 'regexp_like');
        return typeof r === 'string' ? `regexp_matches(${text(s!)}, ${r})` : r;
      },
    },
  ],
  [
    'regexp_extract',
    {
      min: 2,
      max: 3,
      render: ([s, p, g]) => {
        const r = regex(p!, 'regexp_extract');
        return typeof r === 'string' ? `regexp_extract(${text(s!)}, ${r}, ${g === undefined ? '1' : g.sql})` : r;
      },
    },
  ],
  ['repeat', { min: 2, max: 2, render: ([s, n]) => `repeat(${text(s!)}, CAST(${n!.sql} AS BIGINT))` }],
  ['replace', { min: 2, max: 3, render: ([s, from, to]) => `replace(${text(s!)}, ${text(from!)}, ${to === undefined ? "''" : text(to)})` }],
  ['instr', { min: 2, max: 2, render: ([s, sub]) => `instr(${text(s!)}, ${text(sub!)})` }],
  // nulls and conditions
  ['coalesce', same('coalesce', 1, many)],
  ['nvl', same('coalesce', 2, 2)],
  ['ifnull', same('coalesce', 2, 2)],
  ['nullif', same('nullif', 2, 2)],
  ['isnull', { min: 1, max: 1, render: ([a]) => `(${a!.sql} IS NULL)` }],
  ['isnotnull', { min: 1, max: 1, render: ([a]) => `(${a!.sql} IS NOT NULL)` }],
  ['if', { min: 3, max: 3, render: ([c, a, b]) => `(CASE WHEN ${c!.sql} THEN ${a!.sql} ELSE ${b!.sql} END)` }],
  // numbers
  ['abs', same('abs', 1, 1)],
  ['round', same('round', 1, 2)],
  ['floor', same('floor', 1, 1)],
  ['ceil', same('ceil', 1, 1)],
  ['ceiling', same('ceil', 1, 1)],
  // aggregates (CustomSql)
  ['count', same('count', 1, many)],
  ['sum', same('sum', 1, 1)],
  ['avg', same('avg', 1, 1)],
  ['mean', same('avg', 1, 1)],
  ['min', same('min', 1, 1)],
  ['max', same('max', 1, 1)],
  ['stddev', same('stddev_samp', 1, 1)],
  ['stddev_samp', same('stddev_samp', 1, 1)],
  ['stddev_pop', same('stddev_pop', 1, 1)],
  ['variance', same('var_samp', 1, 1)],
  ['var_samp', same('var_samp', 1, 1)],
  ['var_pop', same('var_pop', 1, 1)],
]);

const INTEGRAL: Readonly<Record<string, string>> = { tinyint: 'TINYINT', byte: 'TINYINT', smallint: 'SMALLINT', short: 'SMALLINT', int: 'INTEGER', integer: 'INTEGER', bigint: 'BIGINT', long: 'BIGINT' };

/**
 * `CAST(x AS type)` as Spark 3.5 (non-ANSI) casts: NULL when it fails; text to an integer
 * type drops a fraction ('1.9' is 1), numbers are truncated; booleans are 1 and 0; text to
 * boolean takes t/true/y/yes/1 and f/false/n/no/0, numbers are true unless 0; dates and
 * timestamps as Spark reads them. Every path goes through the value's text, so the SQL
 * binds whatever the column's type (a nested one is simply NULL).
 */
export function sparkCast(x: string, type: string): string | undefined {
  const t = type.toLowerCase().replace(/\s+/g, '');
  const s = `CAST(${x} AS VARCHAR)`;
  // Spark's trimAll: whitespace and ISO control characters at either end.
  const trimmed = `regexp_replace(${s}, '^[\\x00-\\x20\\x7f]+|[\\x00-\\x20\\x7f]+$', '', 'g')`;
  const isBoolean = `typeof(${x}) = 'BOOLEAN'`;
  if (t === 'string' || /^(var)?char\(\d+\)$/.test(t)) return s;
  if (t === 'date') return toDate(x);
  if (t === 'timestamp' || t === 'timestamp_ltz') return toTimestamp(x);
  if (t === 'boolean') {
    const isNumber = `typeof(${x}) IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT', 'FLOAT', 'DOUBLE') OR typeof(${x}) LIKE 'DECIMAL%'`;
    return `(CASE WHEN ${isNumber} THEN TRY_CAST(${s} AS DOUBLE) <> 0 WHEN lower(${trimmed}) IN ('t', 'true', 'y', 'yes', '1') THEN true WHEN lower(${trimmed}) IN ('f', 'false', 'n', 'no', '0') THEN false END)`;
  }
  const integral = INTEGRAL[t];
  if (integral !== undefined) {
    const fromText = `TRY_CAST(regexp_extract(${trimmed}, '^([+-]?[0-9]+)(?:\\.[0-9]*)?$', 1) AS ${integral})`;
    return `(CASE WHEN ${isBoolean} THEN CAST(${s} = 'true' AS ${integral}) ELSE ${fromText} END)`;
  }
  const decimal = /^(?:decimal|dec|numeric)(?:\((\d+)(?:,(\d+))?\))?$/.exec(t);
  const fractional = t === 'float' || t === 'real' ? 'FLOAT' : t === 'double' ? 'DOUBLE' : decimal !== null ? `DECIMAL(${decimal[1] ?? '10'}, ${decimal[2] ?? '0'})` : undefined;
  if (fractional === undefined) return undefined;
  return `(CASE WHEN ${isBoolean} THEN CAST(${s} = 'true' AS ${fractional}) ELSE TRY_CAST(${trimmed} AS ${fractional}) END)`;
}
