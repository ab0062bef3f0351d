/**
 * Row-level results in Glue's columns. One scan computes every rule's flag per row
 * (with the window values some flags need) into a temporary table; passing rows are then
 * written as they came, failing rows with `DataQualityRulesPass`, `DataQualityRulesFail`,
 * `DataQualityRulesSkip` (rules without row-level results) and
 * `DataQualityEvaluationResult`. Every row goes to exactly one of the two files.
 */
import { ident, str } from '../sql/quote.js';
import type { Plan } from './plan.js';
import type { Session } from './session.js';

export interface RowLevelRule {
  /** Canonical rule text, as the row-level columns list it. */
  readonly text: string;
  /** TRUE when the row passes; undefined for rules without row-level results. */
  readonly flag: string | undefined;
}

export interface RowLevelTarget {
  /** Parquet file for the rows that pass every rule. */
  readonly passed: string;
  /** Parquet file for the other rows, with the row-level columns. */
  readonly failed: string;
}

export interface RowLevelCounts {
  readonly rowsIn: number;
  readonly rowsPassed: number;
  readonly rowsFailed: number;
}

const TABLE = '"__dq_rows"';

const count = (v: unknown) => (typeof v === 'bigint' ? Number(v) : Number(v ?? 0));

function listOf(items: ReadonlyArray<readonly [text: string, when: string]>): string {
  if (items.length === 0) return '[]::VARCHAR[]';
  return `flatten([${items.map(([text, when]) => `CASE WHEN ${when} THEN [${str(text)}] ELSE []::VARCHAR[] END`).join(', ')}])`;
}

export async function writeRowLevel(session: Session, plan: Plan, rules: readonly RowLevelRule[], target: RowLevelTarget): Promise<RowLevelCounts> {
  const flagged = rules.map((r, i) => ({ ...r, column: `__dq_f${i}` })).filter((r) => r.flag !== undefined);
  const windows = [...plan.windows()];
  const inner = windows.length === 0 ? 'SELECT * FROM "primary"' : `SELECT *, ${windows.map(([alias, sql]) => `${sql} AS ${ident(alias)}`).join(', ')} FROM "primary"`;
  const exclude = windows.length === 0 ? '*' : `* EXCLUDE (${windows.map(([a]) => ident(a)).join(', ')})`;
  const flags = flagged.map((r) => `coalesce((${r.flag}), false) AS ${ident(r.column)}`);
  await session.run(`CREATE OR REPLACE TEMP TABLE ${TABLE} AS SELECT ${[exclude, ...flags].join(', ')} FROM (${inner}) AS __dq_p`);
  const helper = flagged.map((r) => ident(r.column));
  const data = helper.length === 0 ? '*' : `* EXCLUDE (${helper.join(', ')})`;
  const allPass = helper.length === 0 ? 'true' : helper.join(' AND ');
  const skipped = rules.filter((r) => r.flag === undefined).map((r) => str(r.text));
  const rowColumns = [
    `${listOf(flagged.map((r) => [r.text, ident(r.column)] as const))} AS "DataQualityRulesPass"`,
    `${listOf(flagged.map((r) => [r.text, `NOT ${ident(r.column)}`] as const))} AS "DataQualityRulesFail"`,
    `[${skipped.join(', ')}]::VARCHAR[] AS "DataQualityRulesSkip"`,
    `'Failed' AS "DataQualityEvaluationResult"`,
  ];
  const [passed] = await session.rows(`COPY (SELECT ${data} FROM ${TABLE} WHERE ${allPass}) TO ${str(target.passed)} (FORMAT parquet)`);
  const [failed] = await session.rows(`COPY (SELECT ${data}, ${rowColumns.join(', ')} FROM ${TABLE} WHERE NOT (${allPass})) TO ${str(target.failed)} (FORMAT parquet)`);
  const [total] = await session.rows(`SELECT count(*) AS n FROM ${TABLE}`);
  await session.run(`DROP TABLE ${TABLE}`);
  return { rowsIn: count(total?.['n']), rowsPassed: count(passed?.['Count']), rowsFailed: count(failed?.['Count']) };
}
