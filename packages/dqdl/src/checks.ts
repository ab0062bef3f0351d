/**
 * Semantic checks against the rule catalogue, after the upstream listener: the rule type
 * and its arity, the kind of condition its return type takes (none for BOOLEAN), where
 * clauses and thresholds only where supported, analyzers only for non-boolean types.
 * SIZE rules also take plain integers (bytes), which are converted here.
 */
import type { Analyzer, Condition, NumExpr, Param, Rule, SimpleRule, Size, SizeCondition } from './ast.js';
import { conditionKindFor, describeArity, findRuleType, RULE_TYPES, ruleTypeVariants, type RuleTypeSpec } from './catalogue.js';
import { diag, type DqdlDiagnostic, type Span } from './diagnostics.js';
import { closest } from './did-you-mean.js';

export interface Checked<T> {
  readonly value: T;
  readonly diagnostics: readonly DqdlDiagnostic[];
}

const KIND_NAMES: Readonly<Record<Condition['kind'], string>> = {
  number: 'a numeric',
  string: 'a string',
  date: 'a date',
  duration: 'a duration',
  size: 'a size',
};

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The closest rule type, a wrong case included (rule types are case-sensitive: `isComplete` is an error). */
function suggestion(name: string): string {
  const match = closest(name, new Set(RULE_TYPES.map((spec) => spec.name)));
  return match === undefined ? '' : ` (did you mean ${match}?)`;
}

/** Looks the type up by name and arity, reporting an unknown name or a wrong arity. */
function resolveType(name: string, params: readonly Param[], pos: Span, what: 'rule' | 'analyzer', out: DqdlDiagnostic[]): RuleTypeSpec | undefined {
  const spec = findRuleType(name, params.length);
  if (spec !== undefined) return spec;
  if (ruleTypeVariants(name).length === 0) {
    out.push(diag('dqdl.unknown-rule-type', `unknown ${what} type '${name}'${suggestion(name)}`, pos));
  } else {
    // `IsComplete "a" and IsUnique "b"` reads `and IsUnique` as a parameter, as upstream does.
    const joined = params.find((p) => p.connector === 'and' && p.kind === 'bare' && ruleTypeVariants(p.text).length > 0);
    const hint = joined === undefined ? '' : `; to combine rules write (${name} ...) and (${joined.text} ...)`;
    out.push(diag('dqdl.rule-arity', `${name} takes ${describeArity(name)} parameter(s), not ${params.length}${hint}`, pos));
  }
  return undefined;
}

function integerBytes(e: NumExpr): Size | undefined {
  return e.kind === 'number' && /^\d+$/.test(e.text) ? { amount: e.value, bytes: e.value, pos: e.pos } : undefined;
}

/** `FileSize > 1024`: a numeric condition of whole numbers, read as bytes. */
function asSizeCondition(c: Condition): SizeCondition | undefined {
  if (c.kind !== 'number') return undefined;
  const sizes = c.operands.map(integerBytes);
  if (!sizes.every((s) => s !== undefined)) return undefined;
  return { kind: 'size', op: c.op, operands: sizes as Size[], pos: c.pos };
}

function checkCondition(rule: SimpleRule, spec: RuleTypeSpec, out: DqdlDiagnostic[]): Condition | undefined {
  const kinds = spec.returnTypes.map(conditionKindFor);
  const { condition } = rule;
  if (condition === undefined) {
    // A condition that was written but was invalid has been reported by the parser.
    if (!kinds.includes(undefined) && !('invalidCondition' in rule)) {
      const wanted = orList(kinds.map((k) => KIND_NAMES[k as Condition['kind']]));
      out.push(diag('dqdl.condition-missing', `${rule.ruleType} needs ${wanted} condition`, rule.pos));
    }
    return undefined;
  }
  if (kinds.includes(condition.kind)) return condition;
  const size = kinds.includes('size') ? asSizeCondition(condition) : undefined;
  if (size !== undefined) return size;
  if (kinds.every((k) => k === undefined)) {
    out.push(diag('dqdl.condition-unexpected', `${rule.ruleType} takes no condition`, condition.pos));
  } else {
    const wanted = orList(kinds.filter((k) => k !== undefined).map((k) => KIND_NAMES[k]));
    out.push(diag('dqdl.condition-type', `${rule.ruleType} needs ${wanted} condition, not ${KIND_NAMES[condition.kind]} one`, condition.pos));
  }
  return condition;
}

function isValidTimeZone(zone: string): boolean {
  if (/^(?:Z|(?:UTC|GMT|UT)?[+-]\d{1,2}(?::?\d{2})?)$/.test(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A `timeZone` tag only matters, and is only checked, when the condition has a time of day. */
function checkTimeZone(rule: SimpleRule, out: DqdlDiagnostic[]): void {
  const hasTime = rule.condition?.kind === 'date' && rule.condition.operands.some((o) => o.kind === 'time');
  const tag = rule.tags.filter((t) => t.name === 'timeZone').pop();
  if (!hasTime || tag === undefined || tag.value.kind !== 'string') return;
  if (!isValidTimeZone(tag.value.lit.value)) {
    out.push(diag('dqdl.invalid-time-zone', `unknown time zone "${tag.value.lit.value}"`, tag.value.lit.pos));
  }
}

function checkSimpleRule(rule: SimpleRule, out: DqdlDiagnostic[]): SimpleRule {
  const lastParam = rule.params[rule.params.length - 1];
  const typeSpan: Span = [rule.typePos[0], lastParam?.pos[1] ?? rule.typePos[1]];
  const spec = resolveType(rule.ruleType, rule.params, typeSpan, 'rule', out);
  if (spec === undefined) return rule;
  if (spec.analyzerOnly) {
    out.push(diag('dqdl.analyzer-only', `${rule.ruleType} can only be used in Analyzers`, rule.typePos));
    return rule;
  }
  if (rule.where !== undefined && !spec.whereSupported) {
    out.push(diag('dqdl.where-unsupported', `${rule.ruleType} does not take a where clause`, rule.where.pos));
  } else if (rule.where !== undefined && rule.where.raw === '') {
    out.push(diag('dqdl.where-empty', 'the where clause is empty', rule.where.pos));
  }
  if (rule.threshold !== undefined && !spec.thresholdSupported) {
    out.push(diag('dqdl.threshold-unsupported', `${rule.ruleType} does not take a threshold`, rule.threshold.pos));
  }
  checkTimeZone(rule, out);
  const condition = checkCondition(rule, spec, out);
  return condition === rule.condition || condition === undefined ? rule : { ...rule, condition };
}

/** Checks a rule and its nested rules; returns the rule with size conditions normalised. */
export function checkRule(rule: Rule): Checked<Rule> {
  const out: DqdlDiagnostic[] = [];
  const walk = (r: Rule): Rule =>
    r.kind === 'rule' ? checkSimpleRule(r, out) : { ...r, rules: r.rules.map(walk) };
  const value = walk(rule);
  return { value, diagnostics: out };
}

export function checkAnalyzer(analyzer: Analyzer): Checked<Analyzer> {
  const out: DqdlDiagnostic[] = [];
  const lastParam = analyzer.params[analyzer.params.length - 1];
  const typeSpan: Span = [analyzer.typePos[0], lastParam?.pos[1] ?? analyzer.typePos[1]];
  const spec = resolveType(analyzer.analyzerType, analyzer.params, typeSpan, 'analyzer', out);
  if (spec !== undefined && spec.returnTypes.length === 1 && spec.returnTypes[0] === 'BOOLEAN') {
    out.push(diag('dqdl.analyzer-unsupported', `${analyzer.analyzerType} is a boolean check and cannot be an analyzer`, analyzer.typePos));
  }
  return { value: analyzer, diagnostics: out };
}
