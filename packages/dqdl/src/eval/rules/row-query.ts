/**
 * Compliance rules whose row flag needs another relation (a correlated EXISTS over a
 * CustomSql result or a reference dataset): counted in a query of their own, so the
 * aggregate pass stays a plain scan. The flag is also the rule's row-level flag.
 */
import type { SimpleRule } from '../../ast.js';
import type { Values } from '../engine/execute.js';
import { javaDouble } from '../engine/format.js';
import type { CompiledRule, RuleContext, Verdict } from './context.js';
import { thresholdOf } from './compliance.js';
import { EQUALS_ONE, historyKey, holds, substituted, type ResolvedCondition } from './verdicts.js';

export interface QuerySpec {
  readonly metric: string;
  /** TRUE when a row of `primary AS __dq_p` passes. */
  readonly flag: string;
  /** What the ratio must meet; default: the threshold, else 1.0. */
  readonly condition?: ResolvedCondition;
  /** The failure message when primary has no rows. */
  readonly onEmpty: string;
}

const toCount = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0);

export function complianceQuery(rule: SimpleRule, ctx: RuleContext, spec: QuerySpec): CompiledRule {
  const condition = spec.condition ?? thresholdOf(rule, spec.metric, ctx) ?? EQUALS_ONE;
  const slot = ctx.plan.query(`SELECT count(*) FILTER (WHERE coalesce((${spec.flag}), false)) AS passed, count(*) AS total FROM "primary" AS __dq_p`);
  const finish = (v: Values): Verdict => {
    const err = v.error(slot);
    if (err !== undefined) return { outcome: 'ERROR', message: `Exception thrown while evaluating rule: ${err}`, metrics: {} };
    const row = v.rows(slot)?.rows[0];
    const total = toCount(row?.['total']);
    if (total === 0) return { outcome: 'FAIL', message: spec.onEmpty, metrics: {} };
    const ratio = toCount(row?.['passed']) / total;
    const metrics = { [spec.metric]: ratio };
    const history = { [historyKey(spec.metric, rule)]: ratio };
    const ok = holds(condition.condition.op, ratio, condition.operands);
    const evaluated = condition.dynamic ? substitutedRule(rule, condition) : undefined;
    const base = { metrics, history, ...(evaluated === undefined ? {} : { evaluated }) };
    return ok ? { outcome: 'PASS', ...base } : { outcome: 'FAIL', message: `Value: ${javaDouble(ratio)} does not meet the constraint requirement.`, ...base };
  };
  return { finish, rowFlag: `coalesce((${spec.flag}), false)` };
}

function substitutedRule(rule: SimpleRule, c: ResolvedCondition): SimpleRule {
  if (rule.threshold !== undefined && c.condition === rule.threshold.condition) return { ...rule, threshold: { ...rule.threshold, condition: substituted(c) } };
  return { ...rule, condition: substituted(c) };
}
