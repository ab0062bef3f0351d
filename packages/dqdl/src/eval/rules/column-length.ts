/**
 * ColumnLength, after deequ: text length with NULL as length 0. Ordered operators and
 * `=`/`!=` judge the minimum and maximum lengths (`between` needs min > lo and max < hi);
 * `in`, `not in` and `not between` judge the share of rows.
 */
import type { NumberCondition, SimpleRule } from '../../ast.js';
import type { Values } from '../engine/execute.js';
import { num } from '../sql/quote.js';
import type { CompiledRule, RuleContext, Verdict } from './context.js';
import { asText, filtered, rowFlag } from './columns.js';
import { complianceRule } from './compliance.js';
import { EMPTY_MESSAGE, historyKey, holds, notMet, resolveCondition } from './verdicts.js';

export async function columnLength(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  const param = rule.params[0]!;
  const c = ctx.column(param);
  const where = await ctx.where(rule);
  if (c === undefined || where === null) return undefined;
  const cond = rule.condition as NumberCondition;
  const resolved = resolveCondition(cond, `Column.${param.value}.LengthCompliance`, ctx);
  const ops = resolved.operands.map((o) => o ?? 0);
  const len = `length(coalesce(${asText(c)}, ''))`;
  const [a = 0, b = 0] = ops;
  const entity = `Column.${param.value}`;
  if (cond.op === 'in' || cond.op === 'not in' || cond.op === 'not between') {
    const set = ops.map(num).join(', ');
    const zero = ops.includes(0);
    const raw = asText(c);
    const inner = cond.op === 'not between' ? `(${len} <= ${num(a)} OR ${len} >= ${num(b)})` : `${len} ${cond.op === 'in' ? 'IN' : 'NOT IN'} (${set})`;
    const predicate =
      cond.op === 'in' ? (zero ? `(${raw} IS NULL OR ${inner})` : `(${raw} IS NOT NULL AND ${inner})`) : zero ? `(${raw} IS NOT NULL OR ${inner})` : `(${raw} IS NULL OR ${inner})`;
    return complianceRule(rule, ctx, {
      metric: `${entity}.LengthCompliance`,
      predicate,
      where,
      failure: (ratio) => notMet(ratio),
      onEmpty: (metrics) => ({ outcome: 'FAIL', message: EMPTY_MESSAGE, metrics }),
    });
  }
  const min = ctx.plan.aggregate(filtered(`min(${len})`, where));
  const max = ctx.plan.aggregate(filtered(`max(${len})`, where));
  const usesMin = ['>', '>=', '=', '!=', 'between'].includes(cond.op);
  const usesMax = ['<', '<=', '=', '!=', 'between'].includes(cond.op);
  const finish = (v: Values): Verdict => {
    const lo = v.num(min);
    const hi = v.num(max);
    const metrics: Record<string, number> = {};
    if (lo !== null) metrics[`${entity}.MinimumLength`] = lo;
    if (hi !== null) metrics[`${entity}.MaximumLength`] = hi;
    if (lo === null || hi === null) return { outcome: 'FAIL', message: EMPTY_MESSAGE, metrics };
    const history = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [historyKey(k, rule), v]));
    const check = (x: number, op: NumberCondition['op'], xs: readonly number[]) => holds(op, x, xs);
    let bad: number | undefined;
    if (cond.op === 'between') {
      if (!(lo > a)) bad = lo;
      else if (!(hi < b)) bad = hi;
    } else {
      if (usesMin && !check(lo, cond.op, ops)) bad = lo;
      else if (usesMax && !check(hi, cond.op, ops)) bad = hi;
    }
    return bad === undefined ? { outcome: 'PASS', metrics, history } : { outcome: 'FAIL', message: notMet(bad), metrics, history };
  };
  const pred = cond.op === 'between' ? `(${len} > ${num(a)} AND ${len} < ${num(b)})` : cond.op === '=' ? `${len} = ${num(a)}` : cond.op === '!=' ? `${len} != ${num(a)}` : `${len} ${cond.op} ${num(a)}`;
  return { finish, rowFlag: rowFlag(pred, where) };
}
