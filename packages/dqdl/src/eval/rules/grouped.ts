/**
 * Frequency rules, computed from one grouped pass per set of columns (deequ's
 * FrequencyBasedAnalyzer: rows whose grouping columns are all NULL are left out):
 * Uniqueness (values seen once / rows), IsUnique, IsPrimaryKey (unique and complete),
 * DistinctValuesCount, UniqueValueRatio (values seen once / distinct values) and
 * Entropy (natural log).
 */
import type { Param, SimpleRule } from '../../ast.js';
import type { Values } from '../engine/execute.js';
import type { Column } from '../engine/session.js';
import { idents } from '../sql/quote.js';
import type { CompiledRule, RuleContext, Verdict } from './context.js';
import { col, entity, filtered, rowFlag } from './columns.js';
import { numberCondition } from './dataset.js';
import { EQUALS_ONE, historyKey, judge, notMet, resolveCondition, type ResolvedCondition } from './verdicts.js';

interface Bound {
  readonly columns: readonly Column[];
  readonly names: readonly string[];
  readonly where: string | undefined;
}

async function bind(rule: SimpleRule, ctx: RuleContext): Promise<Bound | undefined> {
  const columns = rule.params.map((p: Param) => ctx.column(p));
  const where = await ctx.where(rule);
  if (where === null || columns.some((c) => c === undefined)) return undefined;
  return { columns: columns as Column[], names: rule.params.map((p) => p.value), where };
}

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b);

/** Row-level: a row passes when its value occurs once (rows with only NULLs pass). */
function uniqueRowFlag(b: Bound, ctx: RuleContext): string {
  const count = ctx.plan.window(`${filtered('count(*)', b.where)} OVER (PARTITION BY ${idents(b.columns.map((c) => c.name))})`);
  const allNull = b.columns.map((c) => `${col(c)} IS NULL`).join(' AND ');
  return rowFlag(`(${allNull}) OR ${count} = 1`, b.where);
}

function uniqueness(rule: SimpleRule, ctx: RuleContext, resolve: (key: string) => ResolvedCondition) {
  return async (): Promise<CompiledRule | undefined> => {
    const b = await bind(rule, ctx);
    if (b === undefined) return undefined;
    const metric = `${entity(b.names)}.Uniqueness`;
    const cols = b.columns.map((c) => c.name);
    const ones = ctx.plan.grouped(cols, b.where, 'singletons');
    const rows = ctx.plan.grouped(cols, b.where, 'rows');
    const resolved = resolve(historyKey(metric, rule));
    return { finish: (v: Values) => judge(rule, metric, ratio(v.num(ones), v.num(rows)), resolved), rowFlag: uniqueRowFlag(b, ctx) };
  };
}

export const uniquenessRule = (rule: SimpleRule, ctx: RuleContext) =>
  uniqueness(rule, ctx, (key) => resolveCondition(numberCondition(rule), key, ctx))();

export const isUniqueRule = (rule: SimpleRule, ctx: RuleContext) => uniqueness(rule, ctx, () => EQUALS_ONE)();

export async function isPrimaryKey(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  const b = await bind(rule, ctx);
  if (b === undefined) return undefined;
  const cols = b.columns.map((c) => c.name);
  const uniq = `${entity(b.names)}.Uniqueness`;
  const ones = ctx.plan.grouped(cols, b.where, 'singletons');
  const groupedRows = ctx.plan.grouped(cols, b.where, 'rows');
  const rows = ctx.plan.aggregate(filtered('count(*)', b.where));
  const present = b.columns.map((c) => ctx.plan.aggregate(filtered(`count(${col(c)})`, b.where)));
  const complete = b.columns.map((c) => `${col(c)} IS NOT NULL`).join(' AND ');
  const finish = (v: Values): Verdict => {
    const n = v.num(rows);
    const u = ratio(v.num(ones), v.num(groupedRows));
    const metrics: Record<string, number> = {};
    if (u !== null) metrics[uniq] = u;
    const failures: string[] = [];
    if (u === null || u !== 1) failures.push(u === null ? 'Uniqueness: no values' : `Uniqueness ${notMet(u)}`);
    b.names.forEach((name, i) => {
      const c = ratio(v.num(present[i]!), n);
      if (c !== null) metrics[`Column.${name}.Completeness`] = c;
      if (c !== 1) failures.push(c === null ? `Completeness of ${name}: no rows` : `Completeness of ${name} ${notMet(c)}`);
    });
    const history = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [historyKey(k, rule), v]));
    return failures.length === 0 ? { outcome: 'PASS', metrics, history } : { outcome: 'FAIL', message: failures.join('\n'), metrics, history };
  };
  const unique = uniqueRowFlag(b, ctx);
  return { finish, rowFlag: `(${unique} AND ${rowFlag(complete, b.where)})` };
}

/** DistinctValuesCount, UniqueValueRatio, Entropy. */
export async function distributionRule(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  const b = await bind(rule, ctx);
  if (b === undefined) return undefined;
  const kind = rule.ruleType as 'DistinctValuesCount' | 'UniqueValueRatio' | 'Entropy';
  const metric = `${entity(b.names)}.${kind}`;
  const cols = b.columns.map((c) => c.name);
  const resolved = resolveCondition(numberCondition(rule), historyKey(metric, rule), ctx);
  const groups = ctx.plan.grouped(cols, b.where, 'groups');
  if (kind === 'DistinctValuesCount') return { finish: (v) => judge(rule, metric, v.num(groups), resolved) };
  if (kind === 'UniqueValueRatio') {
    const ones = ctx.plan.grouped(cols, b.where, 'singletons');
    return { finish: (v) => judge(rule, metric, ratio(v.num(ones), v.num(groups)), resolved) };
  }
  const rows = ctx.plan.grouped(cols, b.where, 'rows');
  const clnc = ctx.plan.grouped(cols, b.where, 'clnc');
  return {
    finish: (v) => {
      const n = v.num(rows);
      const s = v.num(clnc);
      // H = -Σ (c/n) ln(c/n) = ln n - (Σ c ln c) / n
      const h = n === null || n === 0 || s === null ? null : Math.max(0, Math.log(n) - s / n);
      return judge(rule, metric, h, resolved);
    },
  };
}
