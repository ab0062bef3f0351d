/**
 * Composite rules: `(A) and (B)`, `(A) or (B)`, nested. Each member is evaluated on the
 * whole dataset and the outcomes combined (Glue's default): AND fails if any member
 * fails, OR passes if any passes; otherwise an ERROR member makes the composite ERROR.
 * Row level, members combine per row; members without row-level results, and those
 * excluded from row level in composites (Completeness, Uniqueness, ...), count as their
 * dataset outcome.
 */
import { findRuleType } from '../../catalogue.js';
import type { Rule, SimpleRule } from '../../ast.js';
import type { CompiledRule, Verdict } from '../rules/context.js';
import type { EvalError, Outcome } from '../types.js';
import type { Values } from './execute.js';

export type RuleNode =
  /** `problems`: the binding errors that made the rule ERROR (its `compiled` says so). */
  | { readonly kind: 'rule'; readonly rule: SimpleRule; readonly compiled: CompiledRule; readonly problems?: readonly EvalError[] }
  | { readonly kind: 'composite'; readonly rule: Rule & { kind: 'composite' }; readonly members: readonly RuleNode[] };

export interface NodeVerdict {
  readonly verdict: Verdict;
  /** The rule with dynamic operands replaced, for EvaluatedRule. */
  readonly evaluated: Rule;
  readonly members: readonly NodeVerdict[];
}

function combine(op: 'and' | 'or', outcomes: readonly Outcome[]): Outcome {
  if (op === 'and') return outcomes.includes('FAIL') ? 'FAIL' : outcomes.includes('ERROR') ? 'ERROR' : 'PASS';
  return outcomes.includes('PASS') ? 'PASS' : outcomes.includes('ERROR') ? 'ERROR' : 'FAIL';
}

export function finishNode(node: RuleNode, values: Values): NodeVerdict {
  if (node.kind === 'rule') {
    const verdict = node.compiled.finish(values);
    return { verdict, evaluated: verdict.evaluated ?? node.rule, members: [] };
  }
  const members = node.members.map((m) => finishNode(m, values));
  const outcome = combine(node.rule.op, members.map((m) => m.verdict.outcome));
  const messages = members.map((m) => m.verdict.message).filter((m): m is string => m !== undefined);
  const verdict: Verdict = {
    outcome,
    ...(outcome !== 'PASS' && messages.length > 0 ? { message: messages.join('\n') } : {}),
    metrics: Object.assign({}, ...members.map((m) => m.verdict.metrics)),
    history: Object.assign({}, ...members.map((m) => m.verdict.history ?? {})),
  };
  return { verdict, evaluated: { ...node.rule, rules: members.map((m) => m.evaluated) }, members };
}

function excludedInComposite(rule: SimpleRule): boolean {
  return findRuleType(rule.ruleType, rule.params.length)?.excludedAtRowLevelInComposite === true;
}

/** The row-level flag of a node, given its verdict; undefined when it has no row-level results. */
export function nodeFlag(node: RuleNode, v: NodeVerdict, inComposite = false): string | undefined {
  if (node.kind === 'rule') return inComposite && excludedInComposite(node.rule) ? undefined : node.compiled.rowFlag;
  const parts = node.members.map((m, i) => {
    const mv = v.members[i]!;
    return { flag: nodeFlag(m, mv, true), constant: mv.verdict.outcome === 'PASS' ? 'true' : 'false' };
  });
  if (parts.every((p) => p.flag === undefined)) return undefined;
  return `(${parts.map((p) => p.flag ?? p.constant).join(node.rule.op === 'and' ? ' AND ' : ' OR ')})`;
}
