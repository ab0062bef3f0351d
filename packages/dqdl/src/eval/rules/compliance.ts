/**
 * Rules judged on the share of rows that satisfy a row predicate (the compliance):
 * without a threshold every row must, with one the share must meet it. The same predicate
 * is the rule's row-level flag.
 */
import type { SimpleRule } from '../../ast.js';
import type { Values } from '../engine/execute.js';
import type { Slot } from '../engine/plan.js';
import type { Metrics } from '../types.js';
import type { CompiledRule, RuleContext, Verdict } from './context.js';
import { filterOf, filtered, rowFlag } from './columns.js';
import { historyKey, holds, resolveCondition, substituted, type ResolvedCondition } from './verdicts.js';

export interface ComplianceSpec {
  readonly metric: string;
  /** TRUE when a row satisfies the rule; NULL counts as not. */
  readonly predicate: string;
  readonly where: string | undefined;
  /** The verdict when no row is in scope. */
  readonly onEmpty: (metrics: Metrics) => Verdict;
  /** The message of a failure, given the ratio and (when asked) further values. */
  readonly failure: (ratio: number, v: Values) => string;
  /** Further metrics to report, by name. */
  readonly extra?: Readonly<Record<string, Slot>>;
}

/** `with threshold ...` resolved against the compliance metric's history, if the rule has one. */
export function thresholdOf(rule: SimpleRule, metric: string, ctx: RuleContext): ResolvedCondition | undefined {
  return rule.threshold === undefined ? undefined : resolveCondition(rule.threshold.condition, historyKey(metric, rule), ctx);
}

export function complianceRule(rule: SimpleRule, ctx: RuleContext, spec: ComplianceSpec): CompiledRule {
  const threshold = thresholdOf(rule, spec.metric, ctx);
  const passed = ctx.plan.aggregate(filtered('count(*)', `${filterOf(spec.where)} AND coalesce((${spec.predicate}), false)`));
  const total = ctx.plan.aggregate(filtered('count(*)', spec.where));
  const finish = (v: Values): Verdict => {
    const extra: Metrics = {};
    for (const [name, slot] of Object.entries(spec.extra ?? {})) {
      const x = v.num(slot);
      if (x !== null) extra[name] = x;
    }
    const n = v.num(total) ?? 0;
    if (n === 0) return spec.onEmpty(extra);
    const ratio = (v.num(passed) ?? 0) / n;
    const metrics = { [spec.metric]: ratio, ...extra };
    const history = { [historyKey(spec.metric, rule)]: ratio };
    const ok = threshold === undefined ? ratio === 1 : holds(threshold.condition.op, ratio, threshold.operands);
    const evaluated = threshold?.dynamic === true && rule.threshold !== undefined ? { ...rule, threshold: { ...rule.threshold, condition: substituted(threshold) } } : undefined;
    const base = { metrics, history, ...(evaluated === undefined ? {} : { evaluated }) };
    return ok ? { outcome: 'PASS', ...base } : { outcome: 'FAIL', message: spec.failure(ratio, v), ...base };
  };
  return { finish, rowFlag: rowFlag(spec.predicate, spec.where) };
}
