/**
 * Canonical DQDL text, in the upstream `toString()` format: single spaces, `and`/`or`
 * composites as `(A) AND (B)`, lists without spaces (`in ["a","b"]`), keywords upper case,
 * strings exactly as written. Parsing printed text gives the same model back.
 */
import type {
  Analyzer,
  Condition,
  DateExpr,
  Duration,
  Label,
  NumExpr,
  Param,
  Rule,
  Ruleset,
  SimpleRule,
  Size,
  StringLit,
  StringOperand,
  Variable,
} from './ast.js';

const lit = (s: StringLit): string => `"${s.raw}"`;
const quote = (value: string): string => `"${value.replace(/[\\"]/g, '\\$&')}"`;

export function printNumExpr(e: NumExpr): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'null':
      return 'NULL';
    case 'call':
      return `${e.name}(${e.args.map(printNumExpr).join(',')})`;
    case 'binary': {
      const text = `${printNumExpr(e.left)} ${e.op} ${printNumExpr(e.right)}`;
      return e.parenthesized ? `(${text})` : text;
    }
  }
}

const printDuration = (d: Duration): string => `${d.amount} ${d.unit}`;
const printSize = (s: Size): string => (s.unit === undefined ? String(s.amount) : `${s.amount} ${s.unit}`);

function printDateExpr(e: DateExpr): string {
  switch (e.kind) {
    case 'date':
    case 'time':
      return `"${e.text}"`;
    case 'now':
      return 'now()';
    case 'now-offset':
      return `(now() ${e.op} ${printDuration(e.duration)})`;
    case 'null':
      return 'NULL';
  }
}

function printStringOperand(o: StringOperand): string {
  switch (o.kind) {
    case 'string':
      return lit(o.lit);
    case 'keyword':
      return o.keyword;
    case 'variable':
      return `$${o.name}`;
  }
}

function operandTexts(c: Condition): string[] {
  switch (c.kind) {
    case 'number':
      return c.operands.map(printNumExpr);
    case 'string':
      return c.operands.map(printStringOperand);
    case 'date':
      return c.operands.map(printDateExpr);
    case 'duration':
      return c.operands.map(printDuration);
    case 'size':
      return c.operands.map(printSize);
  }
}

/** `between 1 and 2`, `in ["a","b"]`, `in $list`, `>= (now() - 3 days)`, ... */
export function printCondition(c: Condition): string {
  const texts = operandTexts(c);
  switch (c.op) {
    case 'between':
    case 'not between':
      return `${c.op} ${texts[0] ?? ''} and ${texts[1] ?? ''}`;
    case 'in':
    case 'not in': {
      const only = c.kind === 'string' && c.operands.length === 1 ? c.operands[0] : undefined;
      return only?.kind === 'variable' ? `${c.op} $${only.name}` : `${c.op} [${texts.join(',')}]`;
    }
    default:
      return `${c.op} ${texts[0] ?? ''}`;
  }
}

function printParam(p: Param): string {
  const value = p.kind === 'quoted' ? `"${p.text}"` : p.kind === 'variable' ? `$${p.text}` : p.text;
  return p.connector === undefined ? value : `${p.connector} ${value}`;
}

export function printLabels(labels: readonly Label[]): string {
  return `[${labels.map((l) => `${lit(l.key)}=${lit(l.value)}`).join(', ')}]`;
}

function printSimple(r: SimpleRule): string {
  const parts = [r.ruleType, ...r.params.map(printParam)];
  if (r.condition !== undefined) parts.push(printCondition(r.condition));
  if (r.where !== undefined) parts.push(`where ${lit(r.where)}`);
  if (r.threshold !== undefined) parts.push(`with threshold ${printCondition(r.threshold.condition)}`);
  for (const tag of r.tags) {
    parts.push(`with ${tag.name} = ${tag.value.kind === 'string' ? lit(tag.value.lit) : printNumExpr(tag.value.expr)}`);
  }
  if (r.labels.length > 0) parts.push(`labels=${printLabels(r.labels)}`);
  return parts.join(' ');
}

function printMembers(r: Rule & { kind: 'composite' }): string {
  const op = r.op === 'and' ? ' AND ' : ' OR ';
  return r.rules.map((m) => (m.kind === 'rule' ? `(${printSimple(m)})` : printGroup(m))).join(op);
}

function printGroup(r: Rule & { kind: 'composite' }): string {
  const group = `(${printMembers(r)})`;
  return r.labels.length > 0 ? `${group} labels=${printLabels(r.labels)}` : group;
}

/** One rule as canonical DQDL. */
export function printRule(rule: Rule): string {
  if (rule.kind === 'rule') return printSimple(rule);
  return rule.labels.length > 0 ? printGroup(rule) : printMembers(rule);
}

export function printAnalyzer(a: Analyzer): string {
  return [a.analyzerType, ...a.params.map(printParam)].join(' ');
}

function printVariable(v: Variable): string {
  const value = v.value.kind === 'string' ? lit(v.value.lit) : `[${v.value.items.map(lit).join(', ')}]`;
  return `${v.name} = ${value}`;
}

function block(name: string, open: string, close: string, lines: readonly string[]): string {
  return `${name} = ${open}\n${lines.map((l) => `    ${l}`).join(',\n')}\n${close}`;
}

/** A whole document: sections in order, separated by blank lines, four-space indents. */
export function printRuleset(rs: Ruleset): string {
  const sections: string[] = [];
  if (rs.metadata !== undefined) {
    sections.push(block('Metadata', '{', '}', rs.metadata.version === undefined ? [] : [`"Version": ${quote(rs.metadata.version)}`]));
  }
  if (rs.dataSources !== undefined) {
    const { primary, additional } = rs.dataSources;
    const lines: string[] = [];
    if (primary !== undefined) lines.push(`"Primary": ${quote(primary)}`);
    if (additional !== undefined) lines.push(`"AdditionalDataSources": [ ${additional.map(quote).join(', ')} ]`);
    sections.push(block('DataSources', '{', '}', lines));
  }
  if (rs.variables.length > 0) sections.push(rs.variables.map(printVariable).join('\n'));
  if (rs.defaultLabels.length > 0) sections.push(`DefaultLabels = ${printLabels(rs.defaultLabels)}`);
  if (rs.rules.length > 0) sections.push(block('Rules', '[', ']', rs.rules.map(printRule)));
  if (rs.analyzers.length > 0) sections.push(block('Analyzers', '[', ']', rs.analyzers.map(printAnalyzer)));
  return sections.join('\n\n');
}
