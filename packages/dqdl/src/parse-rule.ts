/**
 * Rules: `RuleType (of|and)? param* condition? (where "sql")? (with tag cond)* labels=[...]?`,
 * combined with `and` / `or` (AND binds tighter) and parentheses. Analyzers are a rule
 * type and parameters only.
 */
import type { Analyzer, Condition, Label, Param, Rule, SimpleRule, StringLit, Tag, Threshold, Variable } from './ast.js';
import { span, type Cursor } from './cursor.js';
import type { Span } from './diagnostics.js';
import type { Token } from './lexer.js';
import { parseCondition, startsCondition, type ConditionScope } from './parse-condition.js';
import { parseNumExpr, stringLit } from './parse-operand.js';
import { isAnd, isOf, isOr, isReserved } from './words.js';

export type RuleScope = ConditionScope;

function isParamToken(t: Token): boolean {
  return t.kind === 'string' || t.kind === 'variable' || (t.kind === 'word' && !isReserved(t.text));
}

function isConnector(t: Token): boolean {
  return t.kind === 'word' && (isOf(t.text) || isAnd(t.text));
}

function resolveParam(t: Token, scope: RuleScope, c: Cursor): string {
  const name = t.text.slice(1);
  const variable: Variable | undefined = scope.variables.get(name);
  if (variable === undefined) {
    c.report('dqdl.variable-undefined', `variable '${name}' is not defined`, span(t.start, t.end));
    return '';
  }
  if (variable.value.kind !== 'string') {
    c.report('dqdl.variable-type', `variable '${name}' is an array; a parameter needs a string`, span(t.start, t.end));
    return '';
  }
  return variable.value.lit.value;
}

/** Parameters, with their optional `of` / `and`; greedy, as upstream. */
function parseParams(c: Cursor, scope: RuleScope): Param[] {
  const params: Param[] = [];
  for (;;) {
    const first = c.peek();
    const hasConnector = isConnector(first) && isParamToken(c.peek(1));
    if (!hasConnector && !isParamToken(first)) return params;
    const connector = hasConnector ? (c.next().text.toLowerCase() as 'of' | 'and') : undefined;
    const t = c.next();
    const pos = span(first.start, t.end);
    const common = connector === undefined ? { pos } : { connector, pos };
    if (t.kind === 'string') {
      params.push({ kind: 'quoted', text: t.raw, value: stringLit(t).value, ...common });
    } else if (t.kind === 'variable') {
      params.push({ kind: 'variable', text: t.text.slice(1), value: resolveParam(t, scope, c), ...common });
    } else {
      params.push({ kind: 'bare', text: t.text, value: t.text, ...common });
    }
  }
}

/** `labels = ["k" = "v", ...]`; the cursor is on `labels` (or `DefaultLabels`). */
export function parseLabelList(c: Cursor): Label[] | undefined {
  c.next();
  if (c.expectPunct('=') === undefined || c.expectPunct('[') === undefined) return undefined;
  const labels: Label[] = [];
  do {
    const key = c.peek();
    if (key.kind !== 'string') return c.fail('a quoted label key');
    c.next();
    if (c.expectPunct('=') === undefined) return undefined;
    const value = c.peek();
    if (value.kind !== 'string') return c.fail('a quoted label value');
    c.next();
    labels.push({ key: stringLit(key), value: stringLit(value), pos: span(key.start, value.end) });
  } while (c.eatPunct(','));
  return c.expectPunct(']') === undefined ? undefined : labels;
}

type ParsedTag = { readonly tag?: Tag; readonly threshold?: Threshold } | undefined;

/** `with threshold <numeric condition>` or `with name = "value" | number`. */
function parseTag(c: Cursor, scope: RuleScope): ParsedTag {
  const withToken = c.next();
  const name = c.peek();
  if (name.kind !== 'word' || isReserved(name.text)) return c.fail('a tag name');
  c.next();
  if (name.text.toLowerCase() === 'threshold') {
    const parsed = parseCondition(c, scope);
    if (parsed === undefined) return undefined;
    const pos = span(withToken.start, c.lastEnd);
    if (parsed.condition === undefined) return {};
    if (parsed.condition.kind !== 'number') {
      c.report('dqdl.threshold-type', 'a threshold needs a numeric condition', parsed.condition.pos);
      return {};
    }
    return { threshold: { condition: parsed.condition, pos } };
  }
  if (c.eatPunct('=') === undefined) {
    const at = c.peek();
    const parsed = startsCondition(c) ? parseCondition(c, scope) : c.fail("'='");
    if (parsed === undefined) return undefined;
    c.report('dqdl.tag-operator', `tag '${name.text}' only takes '='`, span(at.start, c.lastEnd));
    return {};
  }
  const v = c.peek();
  if (v.kind === 'string') {
    c.next();
    return { tag: { name: name.text, value: { kind: 'string', lit: stringLit(v) }, pos: span(withToken.start, v.end) } };
  }
  const expr = parseNumExpr(c);
  if (expr === undefined) return undefined;
  return { tag: { name: name.text, value: { kind: 'number', expr }, pos: span(withToken.start, expr.pos[1]) } };
}

interface MutableRuleParts {
  /** Set when a condition was written but could not be used (already reported). */
  invalidCondition?: true;
  condition?: Condition;
  where?: StringLit;
  threshold?: Threshold;
}

export function parseSimpleRule(c: Cursor, scope: RuleScope): SimpleRule | undefined {
  const type = c.peek();
  if (type.kind !== 'word' || isReserved(type.text)) return c.fail('a rule type');
  c.next();
  const params = parseParams(c, scope);
  const parts: MutableRuleParts = {};
  if (startsCondition(c)) {
    const parsed = parseCondition(c, scope);
    if (parsed === undefined) return undefined;
    if (parsed.condition !== undefined) parts.condition = parsed.condition;
    else parts.invalidCondition = true;
  }
  if (c.eatWord('where')) {
    const sql = c.peek();
    if (sql.kind !== 'string') return c.fail('a quoted where clause');
    c.next();
    parts.where = stringLit(sql);
  }
  const tags: Tag[] = [];
  while (c.isWord('with')) {
    const parsed = parseTag(c, scope);
    if (parsed === undefined) return undefined;
    if (parsed.tag !== undefined) tags.push(parsed.tag);
    if (parsed.threshold !== undefined && parts.threshold !== undefined) {
      c.report('dqdl.threshold-duplicate', 'only one threshold is allowed', parsed.threshold.pos);
    } else if (parsed.threshold !== undefined) {
      parts.threshold = parsed.threshold;
    }
  }
  let labels: Label[] = [];
  if (c.isWord('labels')) {
    const parsed = parseLabelList(c);
    if (parsed === undefined) return undefined;
    labels = parsed;
  }
  if (c.isWord('where')) return c.fail("',' or ']' (a where clause comes before 'with' tags and labels)");
  return {
    kind: 'rule',
    ruleType: type.text,
    typePos: span(type.start, type.end),
    params,
    ...parts,
    tags,
    labels,
    pos: span(type.start, c.lastEnd),
  };
}

/** A composite's `pos` covers its text, parentheses included. */
function combine(op: 'and' | 'or', rules: Rule[], pos: Span): Rule {
  if (rules.length === 1) return rules[0] as Rule;
  // `(A) or (B) or (C)` is one composite; a labelled group stays a group.
  const flat = rules.flatMap((r) => (r.kind === 'composite' && r.op === op && r.labels.length === 0 ? r.rules : [r]));
  return { kind: 'composite', op, rules: flat, labels: [], pos };
}

function withLabels(rule: Rule, labels: Label[], c: Cursor): Rule {
  if (rule.labels.length > 0) {
    c.report('dqdl.labels-twice', 'this rule already has labels', span((labels[0] as Label).pos[0], c.lastEnd));
    return rule;
  }
  return { ...rule, labels };
}

function parsePrimary(c: Cursor, scope: RuleScope): Rule | undefined {
  if (!c.isPunct('(')) return parseSimpleRule(c, scope);
  return c.nested(c.peek(), () => parseGroup(c, scope));
}

/** `( rule )`, optionally labelled; the cursor is at `(`. */
function parseGroup(c: Cursor, scope: RuleScope): Rule | undefined {
  const open = c.next();
  const parsed = parseOr(c, scope);
  if (parsed === undefined || c.expectPunct(')') === undefined) return undefined;
  const inner = parsed.kind === 'composite' ? { ...parsed, pos: span(open.start, c.lastEnd) } : parsed;
  if (!c.isWord('labels')) return inner;
  const labels = parseLabelList(c);
  if (labels === undefined) return undefined;
  const labelled = withLabels(inner, labels, c);
  return labelled.kind === 'composite' ? { ...labelled, pos: span(open.start, c.lastEnd) } : labelled;
}

function parseChain(c: Cursor, op: 'and' | 'or', operand: () => Rule | undefined): Rule | undefined {
  const start = c.peek().start;
  const first = operand();
  if (first === undefined) return undefined;
  const rules = [first];
  const isOp = op === 'and' ? isAnd : isOr;
  while (c.peek().kind === 'word' && isOp(c.peek().text)) {
    c.next();
    const next = operand();
    if (next === undefined) return undefined;
    rules.push(next);
  }
  return combine(op, rules, span(start, c.lastEnd));
}

function parseOr(c: Cursor, scope: RuleScope): Rule | undefined {
  return parseChain(c, 'or', () => parseChain(c, 'and', () => parsePrimary(c, scope)));
}

/** One entry of `Rules = [...]`. */
export function parseRule(c: Cursor, scope: RuleScope): Rule | undefined {
  return parseOr(c, scope);
}

/** One entry of `Analyzers = [...]`. */
export function parseAnalyzer(c: Cursor, scope: RuleScope): Analyzer | undefined {
  const type = c.peek();
  if (type.kind !== 'word' || isReserved(type.text)) return c.fail('an analyzer type');
  c.next();
  const params = parseParams(c, scope);
  if (startsCondition(c)) {
    const at = c.peek();
    c.report('dqdl.condition-unexpected', 'analyzers compute metrics and take no condition', span(at.start, at.end));
    return undefined;
  }
  return { kind: 'analyzer', analyzerType: type.text, typePos: span(type.start, type.end), params, pos: span(type.start, c.lastEnd) };
}
