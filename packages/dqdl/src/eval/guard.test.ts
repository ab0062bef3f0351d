/**
 * Where clauses and CustomSql statements: what is accepted, how Spark quoting is
 * translated, and what is refused (with the code and the offset of the offending text).
 */
import { describe, expect, it } from 'vitest';
import { guardCustomSql, guardWhere, isSqlProblem } from './sql/guard.js';
import { translateSql } from './sql/translate.js';
import { sqlParserForTests } from './testing.js';

const parse = sqlParserForTests();

describe('translate: Spark quoting to DuckDB', () => {
  it.each([
    ['double quotes are strings', 'a = "x"', "a = 'x'"],
    ['escaped quotes inside them', 'a = "it\'s \\"ok\\""', `a = 'it''s "ok"'`],
    ['adjacent literals concatenate (doubled quotes too)', `a = "it's ""ok"""`, `a = 'it''s ok'`],
    ['backslash escapes as Spark reads them', String.raw`a = 'x\'y\n\\\d\_'`, "a = 'x''y\n\\d\\_'"],
    ['unicode and octal escapes', String.raw`a = '\u00e9\U0001F600\101\U00110000'`, "a = 'é😀AU00110000'"],
    ['raw strings', String.raw`a rlike R'\d+'`, String.raw`CAST((a) AS VARCHAR) SIMILAR TO '[\s\S]*(?:\d+)[\s\S]*'`],
    ['the left operand of a pattern operator', "x = 1 and a + 1 not like 'b' or c", "x = 1 and CAST((a + 1) AS VARCHAR) NOT LIKE 'b' ESCAPE '\\' or c"],
    ['backticks are names', '`my col` > 1', '"my col" > 1'],
    ['single quotes stay', "a = 'x'", "a = 'x'"],
  ])('%s', (_name, given, want) => {
    const t = translateSql(given, { what: 'x' });
    expect(isSqlProblem(t) ? t : t.sql).toBe(want);
  });

  it.each([
    ['E-strings are not Spark', "a = E'x'", 'dq.invalid-sql', "E'x'"],
    ['dollar quotes are not Spark', 'a = $$x$$', 'dq.invalid-sql', '$$x'],
  ])('%s', (_name, given, code, at) => {
    const t = translateSql(given, { what: 'x' });
    expect(isSqlProblem(t) ? [t.code, given.slice(t.offset)] : t.sql).toEqual([code, given.slice(given.indexOf(at))]);
  });
});

/** [clause, accepted, code when refused, where the problem starts] */
type WhereCase = [clause: string, accepted: boolean, code?: string, at?: string];
const WHERE: WhereCase[] = [
  ["status = 'ok' AND amount > 10", true],
  ['amount BETWEEN 1 AND 2 OR status IS NULL', true],
  ["colD != concat(colE, colF)", true],
  ["lower(status) LIKE 'o%' AND NOT (amount < 0)", true],
  ["status = ';'", true], // a semicolon in a string is text
  ['payment_type<>0', true],
  ['amount > 1; DROP TABLE "primary"', false, 'dq.unsafe-sql', '; DROP'],
  ['amount > 1)', false, 'dq.unsafe-sql', ')'],
  ['amount > 1) OR (true', false, 'dq.unsafe-sql', ') OR'],
  ['amount > 1 -- comment', false, 'dq.unsafe-sql', '--'],
  ['amount > 1 /* c */', false, 'dq.unsafe-sql', '/*'],
  ["amount IN (SELECT 1)", false, 'dq.unsafe-sql', 'IN (SELECT'],
  ["EXISTS (SELECT * FROM read_text('/etc/passwd'))", false, 'dq.unsafe-sql', 'EXISTS'],
  ["nextval('s') > 0", false, 'dq.unsafe-sql', 'nextval'],
  ["current_setting('temp_directory') = 'x'", false, 'dq.unsafe-sql', 'current_setting'],
  ['amount > 1 ORDER BY 1', false, 'dq.invalid-sql'],
  ['(amount > 1', false, 'dq.invalid-sql'],
  ["status = 'unterminated", false, 'dq.invalid-sql', "'unterminated"],
  ['', false, 'dq.invalid-sql'],
];

describe('where clauses', () => {
  it.each(WHERE)('%j → accepted: %s', async (clause, accepted, code, at) => {
    const g = await guardWhere(clause, parse);
    if (accepted) {
      expect(isSqlProblem(g) ? g.message : 'ok').toBe('ok');
      return;
    }
    expect(isSqlProblem(g)).toBe(true);
    if (!isSqlProblem(g)) return;
    expect(g.code).toBe(code);
    if (at !== undefined) expect(clause.slice(g.offset).startsWith(at), `offset ${g.offset}: ${clause.slice(g.offset)}`).toBe(true);
  });
});

type SqlCase = [sql: string, accepted: boolean, code?: string];
const SQL: SqlCase[] = [
  ['select count(*) from primary', true],
  ['SELECT count(*) FROM primary WHERE amount > 0;', true],
  ['with t as (select * from primary) select count(*) from t', true],
  ['select count(*) from primary p join customers c on p.c = c.c', true],
  ['select count(*) from primary union all select count(*) from customers', true],
  ['select a from `primary`', true],
  ['select sum(a) over (partition by b) from primary group by a, b having count(*) > 1', true],
  ["select count(*) filter (where primary.a rlike 'x') from primary", true],
  ['select row_number() over (order by a) from primary', false, 'dq.invalid-sql'],
  ['select count(*) from orders', false, 'dq.unsafe-sql'],
  ['select count(*) from main.primary', false, 'dq.unsafe-sql'],
  ["select * from read_parquet('/data/x.parquet')", false, 'dq.unsafe-sql'],
  ['select * from duckdb_settings()', false, 'dq.unsafe-sql'],
  ["select * from primary where a in (select * from read_csv('/etc/passwd'))", false, 'dq.unsafe-sql'],
  ['insert into primary values (1)', false, 'dq.unsafe-sql'],
  ['create table x as select 1', false, 'dq.unsafe-sql'],
  ["copy primary to '/tmp/x.csv'", false, 'dq.unsafe-sql'],
  ["attach '/tmp/x.db'", false, 'dq.unsafe-sql'],
  ['pragma version', false, 'dq.unsafe-sql'],
  ["set enable_external_access = true", false, 'dq.unsafe-sql'],
  ['select 1; select 2', false, 'dq.unsafe-sql'],
  ['select 1 -- hi', false, 'dq.unsafe-sql'],
  ['selec 1', false, 'dq.invalid-sql'],
  // A CTE is visible only in its own query (and the CTEs after it), not outside it.
  ['with a as (select * from primary), b as (select * from a) select count(*) from b', true],
  ['with a as (select * from primary) select (select count(*) from a)', true],
  ['with recursive r as (select 1 as x union all select x + 1 from r where x < 3) select count(*) from r', true],
  ["select count(*) from '/tmp/x.csv' where exists (with `/tmp/x.csv` as (select 1) select 1)", false, 'dq.unsafe-sql'],
  ['select count(*) from duckdb_tables where exists (with duckdb_tables as (select 1) select * from duckdb_tables)', false, 'dq.unsafe-sql'],
  ['select (with t as (select 1) select count(*) from t) + (select count(*) from t)', false, 'dq.unsafe-sql'],
  ["with `/tmp/x.csv` as (select * from '/tmp/x.csv') select count(*) from `/tmp/x.csv`", false, 'dq.unsafe-sql'],
  ['with a as (select * from b), b as (select * from primary) select count(*) from a', false, 'dq.unsafe-sql'],
];

describe('CustomSql statements', () => {
  it.each(SQL)('%j → accepted: %s', async (sql, accepted, code) => {
    const g = await guardCustomSql(sql, ['primary', 'customers'], parse);
    if (accepted) expect(isSqlProblem(g) ? g.message : 'ok').toBe('ok');
    else expect(isSqlProblem(g) ? g.code : 'accepted').toBe(code);
  });

  it('quotes primary, which DuckDB reserves', async () => {
    const g = await guardCustomSql('select count(*) from primary', ['primary'], parse);
    expect(isSqlProblem(g) ? g.message : g.sql).toBe('select count(*) from "primary"');
  });
});
