/**
 * ColumnValues: every row (in the where clause) must satisfy the condition, or a share of
 * them must meet `with threshold`. Numbers compare as numbers (text that is not a number
 * fails), strings as text (`matches` is a full match), dates as calendar dates.
 * Reports `Column.c.ColumnValues.Compliance`, and Minimum/Maximum for ordered numbers.
 */
import type { Condition, SimpleRule } from '../../ast.js';
import type { Values } from '../engine/execute.js';
import type { Slot } from '../engine/plan.js';
import { javaDouble } from '../engine/format.js';
import type { CompiledRule, RuleContext } from './context.js';
import { asDate, asNumber, asText, col, filterOf, filtered } from './columns.js';
import { complianceRule } from './compliance.js';
import { dateOperand, timeZoneOf } from './dates.js';
import { datePredicate, numberPredicate, stringPredicate } from './predicates.js';
import { EMPTY_MESSAGE, resolveCondition } from './verdicts.js';

/** Whether a NULL value satisfies the condition (see predicates.ts): `!=`/`not in` unless NULL is listed, `=`/`in` when it is. */
function nullPasses(c: Condition): boolean {
  const listsNull = c.operands.some((o) => typeof o === 'object' && o !== null && 'kind' in o && (o.kind === 'null' || (o.kind === 'keyword' && o.keyword === 'NULL')));
  if (c.op === '!=' || c.op === 'not in') return !listsNull;
  if (c.op === '=' || c.op === 'in') return listsNull;
  return false;
}

export async function columnValues(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  const param = rule.params[0]!;
  const c = ctx.column(param);
  const where = await ctx.where(rule);
  const cond = rule.condition;
  if (c === undefined || where === null || cond === undefined) return undefined;
  const metric = `Column.${param.value}.ColumnValues.Compliance`;
  const raw = col(c);
  const extra: Record<string, Slot> = {};
  let predicate: string;
  let extreme: Slot | undefined;
  switch (cond.kind) {
    case 'number': {
      const resolved = resolveCondition(cond, metric, ctx);
      const x = asNumber(c);
      predicate = numberPredicate(raw, x, cond.op, resolved.operands);
      const hasNull = resolved.operands.includes(null);
      if (['>', '>=', '='].includes(cond.op) && !hasNull) extreme = extra[`Column.${param.value}.Minimum`] = ctx.plan.aggregate(filtered(`min(${x})`, where));
      if (['<', '<=', '='].includes(cond.op) && !hasNull) {
        const max = (extra[`Column.${param.value}.Maximum`] = ctx.plan.aggregate(filtered(`max(${x})`, where)));
        if (cond.op !== '=') extreme = max;
      }
      break;
    }
    case 'string':
      // A `matches` pattern RE2 cannot compile was refused before (static-check.ts).
      predicate = stringPredicate(raw, asText(c), cond);
      break;
    case 'date': {
      const zone = timeZoneOf(rule);
      predicate = datePredicate(raw, asDate(c), cond, cond.operands.map((o) => dateOperand(o, ctx.now, zone)));
      break;
    }
    default:
      return { finish: () => ({ outcome: 'ERROR', message: `ColumnValues does not take a ${cond.kind} condition`, metrics: {} }) };
  }
  // Whether the failures are all NULLs (for Glue's message), without running the
  // predicate again: NULL's fate follows from the operator and whether NULL is listed.
  const nullFailures = nullPasses(cond) ? undefined : ctx.plan.aggregate(filtered('count(*)', `${filterOf(where)} AND ${raw} IS NULL`));
  const rows = ctx.plan.aggregate(filtered('count(*)', where));
  const failure = (ratio: number, v: Values): string => {
    if (rule.threshold !== undefined) return `Value: ${javaDouble(ratio)} does not meet the constraint requirement!`;
    const failures = Math.round((v.num(rows) ?? 0) * (1 - ratio));
    if (failures > 0 && nullFailures !== undefined && failures === v.num(nullFailures)) return 'Value: NULL does not meet the constraint requirement!';
    const x = extreme === undefined ? null : v.num(extreme);
    return `Value: ${javaDouble(x ?? ratio)} does not meet the constraint requirement!`;
  };
  return complianceRule(rule, ctx, {
    metric,
    predicate,
    where,
    extra,
    failure,
    onEmpty: (metrics) => ({ outcome: 'FAIL', message: EMPTY_MESSAGE, metrics }),
  });
}
