/**
 * Where clauses and CustomSql in Spark SQL, the dialect Glue runs them in, on CSV, JSON
 * lines and Parquet: each supported operator and function keeps Spark's meaning, and what
 * is outside the subset is refused at its position. Dates and timestamps: spark-dates.test.ts.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardCustomSql, guardWhere, isSqlProblem } from './sql/guard.js';
import { evaluateText, sqlParserForTests, rules, tempDir, writeData, type Rows } from './testing.js';
import type { DataFormat, DataInput } from './types.js';

const FORMATS: readonly DataFormat[] = ['csv', 'jsonl', 'parquet'];
const dir = tempDir('dq-spark-sql-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PEOPLE: Rows = [
  { id: 1, name: 'alice', code: 'a_1', d: '2024-01-05', amount: 10 },
  { id: 2, name: 'bob', code: 'b%2', d: '2024/01/05', amount: null },
  { id: 3, name: 'Anna', code: 'a1', d: '2024-1-5', amount: 3 },
  { id: 4, name: 'carl', code: 'c_3', d: '2024-01-05T10:00', amount: null },
  { id: 5, name: 'dave', code: 'd\\4', d: '20240105', amount: 7 },
  { id: 6, name: 'eve', code: 'e', d: '2024-02-30', amount: 1 },
];

/**
 * [where clause as DQDL text (inside its double quotes), rows it selects]. Each count is
 * Spark's answer; the comment says what DuckDB's own reading would give instead.
 */
const WHERE: ReadonlyArray<readonly [string, number]> = [
  // division by zero is NULL in Spark (non-ANSI); DuckDB's IEEE division gives ±Infinity or NaN
  ['amount / 0 > 1', 0], // DuckDB: 10/0 = Infinity > 1, 3 rows
  ['amount / 0 is null', 6], // DuckDB: only the 2 NULL amounts
  ['amount % 0 is null', 6],
  ['id / (amount - amount) is null', 6],
  // rlike / regexp: Java regex, found anywhere (a full match would give 0)
  ["name rlike 'a'", 4],
  ["name regexp '^[a-c]'", 3],
  ["name not rlike 'e$'", 3],
  ["name rlike '(?i)^a'", 2],
  ["name RLIKE 'a' and amount > 5", 2],
  ["amount rlike '^1'", 2], // numbers are matched as text (10 and 1); DuckDB cannot match a number
  ["name = 'eve' or id + 1 rlike '^[23]$'", 3], // the left operand is id + 1
  ["case when amount like '1%' then true else false end", 2],
  // <=>: null-safe equality (DuckDB has no such operator)
  ['amount <=> null', 2],
  ['amount <=> 10', 1],
  ['not (amount <=> 10)', 5],
  // like / ilike: backslash escapes by default (DuckDB has no default escape: 0 rows)
  [String.raw`code like 'a\\_%'`, 1],
  ["code like 'a_%'", 2],
  [String.raw`code ilike 'A\\_%'`, 1],
  [String.raw`code like '%\\\\\\\\%'`, 1], // Spark literal '%\\\\%' is the pattern %\\% : a backslash
  [String.raw`code like '_!%_' escape '!'`, 1],
  // text functions
  ['length(name) = 3', 2],
  ['length(amount) = 2', 1], // Spark casts to text (DuckDB has no length(BIGINT))
  ["lower(amount) = '10' and upper(name) = 'ALICE'", 1],
  ["trim(amount) = '3'", 1],
  ["lower(name) = 'anna'", 1],
  ["upper(name) = 'BOB'", 1],
  ["trim(concat(' ', name, ' ')) = name", 6],
  ["concat(name, amount) = 'alice10'", 1],
  ['concat(name, amount) is null', 2], // Spark's concat is NULL when any part is (DuckDB's skips NULLs)
  ["substring(name, 0, 2) = 'al'", 1], // position 0 is 1 (DuckDB: 'a')
  ["substr(name, -2) = 'ce'", 1],
  ["substring(name, -3, 2) = 'ic'", 1],
  ["substring(name, -9, 8) = 'bo'", 1], // the end is counted before the start is clamped: 'bob' from -9 for 8 is 'bo'
  ["substring(name, 2) = 'ob'", 1],
  // nulls, casts
  ['coalesce(amount, 0) = 0', 2],
  ['cast(amount as int) = 3', 1],
  ["cast('1.9' as int) = 1", 6], // Spark drops the fraction (DuckDB rounds to 2)
  ["cast('x' as int) is null", 6], // invalid casts are NULL (DuckDB's CAST fails the query)
  ["cast(' 7 ' as bigint) = amount", 1],
  ["cast('yes' as boolean)", 6],
  ["cast(d as date) = date '2024-01-05'", 3], // Spark's date forms (DuckDB also reads 2024/01/05)
  ["try_cast(d as timestamp) = timestamp '2024-01-05 10:00:00'", 1],
  ['10L + 1 = 11', 6],
  // dates
  ["to_date(d) = '2024-01-05'", 3],
  ["to_date(d, 'yyyy/MM/dd') = to_date('2024-01-05')", 1],
  ["to_date('05/01/2024', 'dd/MM/yyyy') = date '2024-01-05'", 6],
  ["to_date('01/05/2024 10:30:00', 'MM/dd/yyyy HH:mm:ss') = date '2024-01-05'", 6],
  ["to_date('2024-13-45', 'yyyy-MM-dd') is null", 6], // invalid input is NULL, as Spark's non-ANSI mode
  ["datediff('2024-01-10', d) = 5", 3], // datediff(end, start)
  ["datediff(d, '2024-01-10') = -5", 3],
  ["date_add(d, 1) = date '2024-01-06'", 3],
  ["date_sub(d, 4) = '2024-01-01'", 3],
  ["current_date > date '2024-01-01' and current_date() = date_add(current_date, 0)", 6],
  ['current_timestamp >= current_timestamp() - interval 1 minute and to_date(current_timestamp) = current_date', 6],
  ["year(d) = 2024 and month(d) = 1 and dayofmonth(d) = 5", 3],
  ['dayofweek(d) = 6', 3], // 2024-01-05 is a Friday: Spark counts from Sunday = 1
  ['hour(d) = 10 and minute(d) = 0 and second(d) = 0', 1],
  // more text functions
  ["left(name, 2) = 'al' and right(name, 3) = 'ice' and left(name, -1) = '' and right(name, 0) = ''", 1],
  ["startswith(name, 'a') or endswith(name, 'b') or contains(name, 'nn')", 3],
  ["regexp_like(name, 'v') and regexp_extract(name, '(d)(a)', 2) = 'a' and regexp_extract(name, '(x)') = ''", 1],
  // names in backquotes, strings in double quotes (Spark)
  ['`name` = \\"bob\\"', 1],
  ["amount is not null and name in ('alice', 'dave')", 2],
  ["if(amount > 5, 'big', 'small') = 'big' and isnotnull(amount)", 2],
];

describe.each(FORMATS)('where clauses in Spark SQL (%s)', (format) => {
  let data: DataInput;
  beforeAll(async () => {
    data = { files: [await writeData(dir, `people-${format}`, format, PEOPLE)] };
  });

  it.each(WHERE)('%s selects %i rows', async (clause, count) => {
    const { evaluation, errors } = await evaluateText(rules(`RowCount = ${count} where "${clause}"`), data);
    expect(errors).toEqual([]);
    expect(evaluation?.rules[0]?.metrics).toEqual({ 'Dataset.*.RowCount': count });
  });

  it('CustomSql takes the same subset', async () => {
    const sql = String.raw`select count(*) from primary where name rlike 'a' and amount <=> 10 and code like 'a\\_1' and substring(name, 0, 1) = 'a' and datediff(current_date, to_date(d)) > 0`;
    const { evaluation, errors } = await evaluateText(rules(`CustomSql "${sql}" = 1`), data);
    expect(errors).toEqual([]);
    expect(evaluation?.rules[0]).toMatchObject({ result: 'PASS', metrics: { 'Dataset.*.CustomSQL': 1 } });
  });
});

const parse = sqlParserForTests();

/** [where clause, where the refusal points, what its message says] */
const REFUSED: ReadonlyArray<readonly [string, string, RegExp]> = [
  [String.raw`name rlike '(a)\\1'`, String.raw`'(a)\\1'`, /back-references/], // Spark reads '\1' as '1'
  ["name rlike 'a(?=b)'", "'a(?=b)'", /look-around/],
  ["name rlike 'e)|(?:b'", "'e)|(?:b'", /unmatched closing '\)'/], // would close findAnywhere's group
  ["name rlike '(?:a|b'", "'(?:a|b'", /unclosed group/],
  ["name rlike '[ab'", "'[ab'", /unclosed character class/],
  ["name rlike 'a(?<!b)'", "'a(?<!b)'", /look-around/],
  ["name rlike '(?>ab)'", "'(?>ab)'", /atomic groups/],
  ["name rlike 'a++'", "'a++'", /possessive/],
  ["name rlike '[a-z&&[^e]]'", "'[a-z&&", /intersection/],
  [String.raw`name rlike 'a\\Z'`, String.raw`'a\\Z'`, /Java-only/],
  [String.raw`name rlike '\\p{javaLowerCase}'`, String.raw`'\\p`, /Java-only character classes/],
  ["name rlike '(?x) a'", "'(?x)", /flags/],
  ['name rlike code', 'rlike code', /string literal/],
  [String.raw`code like 'a\\b'`, String.raw`'a\\b'`, /may not precede 'b'/],
  [String.raw`code like 'a\\'`, String.raw`'a\\'`, /may not end with the escape/],
  ["code like 'a' escape 'ab'", "escape 'ab'", /one character/],
  ["code like any ('a%', 'b%')", 'any (', /not in the supported/],
  ["regexp_replace(name, 'a', 'b') = 'x'", 'regexp_replace', /function regexp_replace\(\) is not in the supported Spark SQL subset/],
  ['length(name, 2) = 1', 'length(name, 2)', /takes 1 argument\(s\), not 2/],
  ['substring(name) = 1', 'substring(name)', /takes 2 to 3 argument/],
  ["substring(name from 2) = 'x'", 'from 2', /pass arguments with commas/],
  ["trim(both 'x' from name) = 'x'", "both 'x'", /pass arguments with commas/],
  ['cast(name as binary) is null', 'binary', /cast to 'binary'/],
  ['cast(name) is null', 'cast(name)', /AS and a type/],
  ["to_date(d, 'yyyy-MM-dd G') is null", "'yyyy-MM-dd G'", /letter\(s\) 'G'/],
  ['to_date(d, code) is null', 'code)', /format as a string literal/],
  ["regexp_extract(name, '(a)(?=b)', 1) = 'a'", "'(a)(?=b)'", /look-around/],
  ['regexp_like(name, code)', 'code)', /pattern as a string literal/],
  ["name rlike '(?<first>a)'", "'(?<first>a)'", /named groups/],
  ["d = DATE '2024-02-30'", "'2024-02-30'", /is not a date Spark reads/],
  ["d = date '2024/01/05'", "'2024/01/05'", /is not a date Spark reads/],
  ["d = TIMESTAMP '2024-01-05 24:00'", "'2024-01-05 24:00'", /is not a timestamp Spark reads/],
  ['amount::int = 1', '::int', /operator '::'/],
  ['amount ^ 2 = 1', '^ 2', /operator '\^'/],
  ['amount div 2 = 1', 'div 2', /DIV/],
  ["name similar to 'a'", 'similar', /not Spark SQL/],
  ['amount isnull', 'isnull', /not Spark SQL/],
  ["x'00' = name", "x'00'", /typed literal/],
  ['1X = 1', 'X = 1', /cannot follow a number/],
];

describe('what is outside the subset is refused where it stands', () => {
  it.each(REFUSED)('%s', async (clause, at, message) => {
    const g = await guardWhere(clause, parse);
    expect(isSqlProblem(g)).toBe(true);
    if (!isSqlProblem(g)) return;
    expect(g.code).toBe('dq.invalid-sql');
    expect(g.message).toMatch(message);
    expect(clause.slice(g.offset).startsWith(at), `offset ${g.offset}: ${clause.slice(g.offset)}`).toBe(true);
  });

  it('keeps the guard: DuckDB functions outside the subset, unsafe ones and table functions', async () => {
    const unsafe = await guardWhere("current_setting('x') = 'y'", parse);
    expect(isSqlProblem(unsafe) ? unsafe.code : 'accepted').toBe('dq.unsafe-sql');
    const file = await guardCustomSql("select count(*) from read_csv('/etc/passwd')", ['primary'], parse);
    expect(isSqlProblem(file) ? file.code : 'accepted').toBe('dq.unsafe-sql');
    const duck = await guardWhere("regexp_full_match(name, 'a')", parse);
    expect(isSqlProblem(duck) ? duck.message : 'accepted').toMatch(/regexp_full_match\(\) is not in the supported Spark SQL subset/);
  });

  it('points at the refused text inside the DQDL where clause', async () => {
    const data = { files: [await writeData(dir, 'refused', 'csv', PEOPLE)] };
    const text = rules(`RowCount > 0 where "name rlike '(a)\\\\\\\\1'"`);
    const { evaluation, errors } = await evaluateText(text, data);
    expect(errors).toEqual([]);
    const [rule] = evaluation!.rules;
    expect(rule?.result).toBe('ERROR');
    expect(rule?.problems?.map((e) => e.code)).toEqual(['dq.invalid-sql']);
    expect(text.slice(rule!.problems![0]!.pos![0])).toMatch(/^'\(a\)/);
  });
});
