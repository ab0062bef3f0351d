/** Turning metric values into Glue verdicts and messages. */
import type { NumberCondition, NumExpr, OrderedOp, SimpleRule } from '../../ast.js';
import { evalOperand, isDynamic } from '../engine/dynamic.js';
import { javaDouble } from '../engine/format.js';
import type { Metrics } from '../types.js';
import type { RuleContext, Verdict } from './context.js';

/** `metric (where: clause)`: the history key of a metric computed under a where clause. */
export function historyKey(metric: string, rule: SimpleRule): string {
  return rule.where === undefined ? metric : `${metric} (where: ${rule.where.value})`;
}

/** Whether `v op operands` holds; `between` is exclusive, `not between` its complement. */
export function holds(op: OrderedOp, v: number, xs: readonly (number | null)[]): boolean {
  const [a, b] = xs;
  switch (op) {
    case '=':
      return a === v;
    case '!=':
      return a !== v;
    case '>':
      return a != null && v > a;
    case '>=':
      return a != null && v >= a;
    case '<':
      return a != null && v < a;
    case '<=':
      return a != null && v <= a;
    case 'between':
      return a != null && b != null && v > a && v < b;
    case 'not between':
      return a != null && b != null && (v <= a || v >= b);
    case 'in':
      return xs.includes(v);
    case 'not in':
      return !xs.includes(v);
  }
}

/** A number condition ready to check: operands evaluated against the metric's history. */
export interface ResolvedCondition {
  readonly condition: NumberCondition;
  readonly operands: readonly (number | null)[];
  readonly dynamic: boolean;
}

/**
 * Evaluates the operands against `key`'s history. They were checked before the rule was
 * compiled (`checkRuleOperands`, among the ruleset's static checks).
 */
export function resolveCondition(condition: NumberCondition, key: string, ctx: RuleContext): ResolvedCondition {
  const dynamic = condition.operands.some(isDynamic);
  const history = dynamic ? ctx.history(key) : [];
  return { condition, operands: condition.operands.map((o) => evalOperand(o, history)), dynamic };
}

function numberNode(value: number | null, pos: NumExpr['pos']): NumExpr {
  return value === null ? { kind: 'null', pos } : { kind: 'number', text: javaDouble(value), value, pos };
}

/** The condition with its dynamic operands replaced by their values. */
export function substituted(resolved: ResolvedCondition): NumberCondition {
  const operands = resolved.condition.operands.map((o, i) => (isDynamic(o) ? numberNode(resolved.operands[i] ?? null, o.pos) : o));
  return { ...resolved.condition, operands };
}

/** The rule with dynamic operands replaced by their values (for EvaluatedRule). */
export function evaluatedRule(rule: SimpleRule, resolved: ResolvedCondition): SimpleRule | undefined {
  if (!resolved.dynamic || rule.condition?.kind !== 'number') return undefined;
  return { ...rule, condition: substituted(resolved) };
}

export const notMet = (v: number) => `Value: ${javaDouble(v)} does not meet the constraint requirement!`;

export const EMPTY_MESSAGE = 'Value: NULL does not meet the constraint requirement! (no rows, or every value was NULL)';

/**
 * PASS or FAIL of one metric against a resolved condition. `null` is no value (no rows, or
 * only NULLs); NaN and ±Infinity are values, reported and kept in history as they are.
 */
export function judge(rule: SimpleRule, metric: string, value: number | null, resolved: ResolvedCondition, extra: Metrics = {}): Verdict {
  const evaluated = evaluatedRule(rule, resolved);
  const base = evaluated === undefined ? {} : { evaluated };
  if (value === null) return { outcome: 'FAIL', message: EMPTY_MESSAGE, metrics: extra, ...base };
  const metrics = { [metric]: value, ...extra };
  const history = { [historyKey(metric, rule)]: value };
  // NaN meets no condition (not even != or not in); ±Infinity compares as a number.
  const ok = !Number.isNaN(value) && holds(resolved.condition.op, value, resolved.operands);
  return ok ? { outcome: 'PASS', metrics, history, ...base } : { outcome: 'FAIL', message: notMet(value), metrics, history, ...base };
}

/** The condition of a BOOLEAN rule: `= 1.0`. */
export const EQUALS_ONE: ResolvedCondition = {
  condition: { kind: 'number', op: '=', operands: [{ kind: 'number', text: '1.0', value: 1, pos: [0, 0] }], pos: [0, 0] },
  operands: [1],
  dynamic: false,
};

export function errorVerdict(message: string, metrics: Metrics = {}): Verdict {
  return { outcome: 'ERROR', message, metrics };
}
