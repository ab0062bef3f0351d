/**
 * Aggregate rules of one pass: Completeness, IsComplete, Mean, Sum, StandardDeviation
 * (population), Variance (population), ColumnCorrelation. NULLs are skipped, as in deequ;
 * a metric over no values fails the rule; NaN and ±Infinity are values (NaN fails every
 * condition, Infinity compares as a number).
 */
import type { SimpleRule } from '../../ast.js';
import type { Values } from '../engine/execute.js';
import type { Column } from '../engine/session.js';
import type { CompiledRule, RuleContext } from './context.js';
import { col, entity, filtered, isNumeric, rowFlag } from './columns.js';
import { numberCondition } from './dataset.js';
import { correlationSql, meanSql, stddevSql, sumSql, varianceSql } from './statistics-sql.js';
import { EQUALS_ONE, errorVerdict, historyKey, judge, resolveCondition, type ResolvedCondition } from './verdicts.js';

const notNumeric = (c: Column) => `Column ${c.name} is not numeric (${c.type})`;

/** Completeness and IsComplete: non-NULL values over rows (in the where clause). */
async function completeness(rule: SimpleRule, ctx: RuleContext, resolve: (key: string) => ResolvedCondition): Promise<CompiledRule | undefined> {
  const c = ctx.column(rule.params[0]!);
  const where = await ctx.where(rule);
  if (c === undefined || where === null) return undefined;
  const metric = `${entity([rule.params[0]!.value])}.Completeness`;
  const present = ctx.plan.aggregate(filtered(`count(${col(c)})`, where));
  const rows = ctx.plan.aggregate(filtered('count(*)', where));
  const resolved = resolve(historyKey(metric, rule));
  return {
    finish: (v: Values) => {
      const n = v.num(rows);
      const value = n === null || n === 0 ? null : (v.num(present) ?? 0) / n;
      return judge(rule, metric, value, resolved);
    },
    rowFlag: rowFlag(`${col(c)} IS NOT NULL`, where),
  };
}

export const completenessRule = (rule: SimpleRule, ctx: RuleContext) =>
  completeness(rule, ctx, (key) => resolveCondition(numberCondition(rule), key, ctx));

export const isCompleteRule = (rule: SimpleRule, ctx: RuleContext) => completeness(rule, ctx, () => EQUALS_ONE);

/** The SQL of each statistic (statistics-sql.ts: errors-free, NaN and ±Infinity as Spark gives them). */
const STATISTICS = {
  Mean: meanSql,
  Sum: sumSql,
  StandardDeviation: stddevSql,
  Variance: varianceSql,
} as const;

/** Mean, Sum, StandardDeviation, Variance of a numeric column. */
export async function statisticRule(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  const kind = rule.ruleType as keyof typeof STATISTICS;
  const c = ctx.column(rule.params[0]!);
  const where = await ctx.where(rule);
  if (c === undefined || where === null) return undefined;
  const metric = `${entity([rule.params[0]!.value])}.${kind}`;
  const resolved = resolveCondition(numberCondition(rule), historyKey(metric, rule), ctx);
  if (!isNumeric(c)) return { finish: () => errorVerdict(notNumeric(c)) };
  const statistic = STATISTICS[kind](c, where);
  const slot = ctx.plan.aggregate(statistic.sql, statistic.fallback);
  return { finish: (v) => v.error(slot) !== undefined ? errorVerdict(v.error(slot)!) : judge(rule, metric, v.num(slot), resolved) };
}

export async function columnCorrelation(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  const a = ctx.column(rule.params[0]!);
  const b = ctx.column(rule.params[1]!);
  const where = await ctx.where(rule);
  if (a === undefined || b === undefined || where === null) return undefined;
  const metric = `${entity([rule.params[0]!.value, rule.params[1]!.value])}.ColumnCorrelation`;
  const resolved = resolveCondition(numberCondition(rule), historyKey(metric, rule), ctx);
  const bad = [a, b].find((c) => !isNumeric(c));
  if (bad !== undefined) return { finish: () => errorVerdict(notNumeric(bad)) };
  const correlation = correlationSql(a, b, where);
  const slot = ctx.plan.aggregate(correlation.sql, correlation.fallback);
  return { finish: (v) => judge(rule, metric, v.num(slot), resolved) };
}
