/**
 * DataFreshness, after deequ: a row is fresh when the hours since its timestamp (rounded
 * to two decimals) meet the duration condition; NULL or unreadable timestamps are not.
 * Every row in scope must be fresh; no rows in scope passes.
 */
import type { DurationCondition, SimpleRule } from '../../ast.js';
import { num } from '../sql/quote.js';
import type { CompiledRule, RuleContext } from './context.js';
import { asEpochSeconds } from './columns.js';
import { complianceRule } from './compliance.js';
import { durationHours } from './dates.js';
import { percent } from '../engine/format.js';

export async function dataFreshness(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  const param = rule.params[0]!;
  const c = ctx.column(param);
  const where = await ctx.where(rule);
  if (c === undefined || where === null) return undefined;
  const cond = rule.condition as DurationCondition;
  const hours = cond.operands.map(durationHours).map(num);
  const age = `round((${num(ctx.now.getTime() / 1000)} - ${asEpochSeconds(c)}) / 3600.0, 2)`;
  const [a = 'NULL', b = 'NULL'] = hours;
  let predicate: string;
  switch (cond.op) {
    case 'between':
      predicate = `(${age} > ${a} AND ${age} < ${b})`;
      break;
    case 'not between':
      predicate = `(${age} <= ${a} OR ${age} >= ${b})`;
      break;
    case 'in':
      predicate = `${age} IN (${hours.join(', ')})`;
      break;
    case 'not in':
      predicate = `${age} NOT IN (${hours.join(', ')})`;
      break;
    default:
      predicate = `${age} ${cond.op} ${a}`;
  }
  return complianceRule(rule, ctx, {
    metric: `Column.${param.value}.DataFreshness.Compliance`,
    predicate,
    where,
    failure: (ratio) => `${percent(ratio)} % of rows passed the threshold`,
    onEmpty: () => ({ outcome: 'PASS', message: 'No rows matched the filter', metrics: {} }),
  });
}
