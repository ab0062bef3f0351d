/**
 * Conditions: `= x`, `!= x`, `> x`, `>= x`, `< x`, `<= x`, `[not] between a and b`,
 * `[not] in [...]`, `[not] in $var`, `[not] matches "re"`.
 *
 * The operands decide the kind of condition the way the upstream grammar does, trying
 * number, string, date, duration and size in that order: `= NULL` is a number condition,
 * `= "2024-01-01"` and `> "9:30 AM"` are date conditions, `in ["a", NULL]` is a string one.
 */
import type { Condition, ConditionKind, DateExpr, NumExpr, OrderedOp, StringCondition, StringOperand, Variable } from './ast.js';
import { span, type Cursor } from './cursor.js';
import type { Span } from './diagnostics.js';
import { parseOperand, type Operand } from './parse-operand.js';
import { isAnd } from './words.js';

type Op = Condition['op'];
const ORDERED_KINDS: readonly ConditionKind[] = ['number', 'string', 'date', 'duration', 'size'];
const STRING_OPS: readonly Op[] = ['=', '!=', 'in', 'not in', 'matches', 'not matches'];

export interface ConditionScope {
  readonly variables: ReadonlyMap<string, Variable>;
}

/** `undefined`: a syntax error (reported). `{ condition: undefined }`: parsed, but invalid (reported). */
export type ParsedCondition = { readonly condition: Condition | undefined } | undefined;

const CONDITION_START = new Set(['=', '!', '>', '>=', '<', '<=']);

export function startsCondition(c: Cursor): boolean {
  const t = c.peek();
  if (t.kind === 'punct') return CONDITION_START.has(t.text);
  return t.kind === 'word' && ['between', 'not', 'in', 'matches'].includes(t.text);
}

function parseOperator(c: Cursor): Op | undefined {
  if (!startsCondition(c)) return c.fail('a condition');
  const t = c.next();
  if (t.text === '!') return c.expectPunct('=') === undefined ? undefined : '!=';
  if (t.text !== 'not') return t.text as Op;
  const n = c.peek();
  if (n.kind === 'word' && (n.text === 'between' || n.text === 'in' || n.text === 'matches')) {
    c.next();
    return `not ${n.text}`;
  }
  return c.fail("'between', 'in' or 'matches'");
}

function parseOperands(c: Cursor, op: Op): Operand[] | undefined {
  if (op === 'matches' || op === 'not matches') {
    const t = c.peek();
    if (t.kind !== 'string') return c.fail('a quoted regular expression');
    return [parseOperand(c) as Operand];
  }
  if (op === 'between' || op === 'not between') {
    const low = parseOperand(c);
    if (low === undefined) return undefined;
    if (!(c.peek().kind === 'word' && isAnd(c.peek().text))) return c.fail("'and'");
    c.next();
    const high = parseOperand(c);
    return high === undefined ? undefined : [low, high];
  }
  if (op === 'in' || op === 'not in') {
    if (c.peek().kind === 'variable') return [parseOperand(c) as Operand];
    if (c.expectPunct('[') === undefined) return undefined;
    const items: Operand[] = [];
    do {
      const item = parseOperand(c);
      if (item === undefined) return undefined;
      items.push(item);
    } while (c.eatPunct(','));
    return c.expectPunct(']') === undefined ? undefined : items;
  }
  const one = parseOperand(c);
  return one === undefined ? undefined : [one];
}

function accepts(o: Operand, kind: ConditionKind): boolean {
  switch (o.kind) {
    case 'num':
      return kind === 'number' || (o.expr.kind === 'null' && (kind === 'string' || kind === 'date'));
    case 'keyword':
      return kind === 'string' || (o.keyword === 'NULL' && (kind === 'number' || kind === 'date'));
    case 'string':
      return kind === (o.shape === 'plain' ? 'string' : 'date');
    case 'variable':
      return kind === 'string';
    case 'date':
      return kind === 'date';
    case 'duration':
      return kind === 'duration';
    case 'size':
      return kind === 'size';
  }
}

function operandPos(o: Operand): Span {
  switch (o.kind) {
    case 'num':
    case 'date':
      return o.expr.pos;
    case 'string':
      return o.lit.pos;
    case 'duration':
      return o.duration.pos;
    case 'size':
      return o.size.pos;
    default:
      return o.pos;
  }
}

function toNum(o: Operand): NumExpr {
  if (o.kind === 'num') return o.expr;
  return { kind: 'null', pos: operandPos(o) };
}

function toDate(o: Operand, c: Cursor): DateExpr | undefined {
  if (o.kind === 'date') return o.expr;
  if (o.kind === 'string' && o.shape === 'date') return { kind: 'date', text: o.lit.raw, pos: o.lit.pos };
  if (o.kind === 'string') return parseTime(o.lit.raw, o.lit.pos, c);
  return { kind: 'null', pos: operandPos(o) };
}

/** `"9:30 AM"` (hours 1-12) or `"21:45"` (hours 00-23); minutes 00-59. */
function parseTime(text: string, pos: Span, c: Cursor): DateExpr | undefined {
  const m = /^(\d{1,2}):(\d{2})(?: (AM|PM))?$/.exec(text);
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2]);
  const meridiem = m?.[3];
  const hourOk = meridiem === undefined ? hour <= 23 : hour >= 1 && hour <= 12;
  if (m === null || !hourOk || minute > 59) {
    c.report('dqdl.invalid-time', `"${text}" is not a valid time of day`, pos);
    return undefined;
  }
  const h24 = meridiem === undefined ? hour : (hour % 12) + (meridiem === 'PM' ? 12 : 0);
  return { kind: 'time', text, hour: h24, minute, pos };
}

function toString(o: Operand, op: Op, scope: ConditionScope, c: Cursor): StringOperand | undefined {
  if (o.kind === 'string') return { kind: 'string', lit: o.lit, pos: o.lit.pos };
  if (o.kind === 'keyword') return { kind: 'keyword', keyword: o.keyword, pos: o.pos };
  if (o.kind === 'variable') {
    const variable = scope.variables.get(o.name);
    if (variable === undefined) {
      c.report('dqdl.variable-undefined', `variable '${o.name}' is not defined`, o.pos);
      return undefined;
    }
    if (variable.value.kind === 'array' && (op === '=' || op === '!=')) {
      c.report('dqdl.variable-type', `variable '${o.name}' is an array; '${op}' needs a string`, o.pos);
      return undefined;
    }
    const values = variable.value.kind === 'array' ? variable.value.items.map((i) => i.value) : [variable.value.lit.value];
    return { kind: 'variable', name: o.name, values, pos: o.pos };
  }
  return { kind: 'keyword', keyword: 'NULL', pos: operandPos(o) };
}

function build(kind: ConditionKind, op: Op, operands: Operand[], pos: Span, scope: ConditionScope, c: Cursor): Condition | undefined {
  const all = <T>(xs: (T | undefined)[]): T[] | undefined => (xs.every((x) => x !== undefined) ? (xs as T[]) : undefined);
  // `classify` only picks a kind whose operators include `op`.
  const ordered = op as OrderedOp;
  switch (kind) {
    case 'number':
      return { kind, op: ordered, operands: operands.map(toNum), pos };
    case 'string': {
      const xs = all(operands.map((o) => toString(o, op, scope, c)));
      return xs && { kind, op: op as StringCondition['op'], operands: xs, pos };
    }
    case 'date': {
      const xs = all(operands.map((o) => toDate(o, c)));
      return xs && { kind, op: ordered, operands: xs, pos };
    }
    case 'duration':
      return { kind, op: ordered, operands: operands.flatMap((o) => (o.kind === 'duration' ? [o.duration] : [])), pos };
    case 'size':
      return { kind, op: ordered, operands: operands.flatMap((o) => (o.kind === 'size' ? [o.size] : [])), pos };
  }
}

function classify(op: Op, operands: Operand[], pos: Span, scope: ConditionScope, c: Cursor): Condition | undefined {
  if (op === 'matches' || op === 'not matches') return build('string', op, operands, pos, scope, c);
  const fitting = ORDERED_KINDS.filter((k) => operands.every((o) => accepts(o, k)));
  const kind = fitting.find((k) => k !== 'string' || STRING_OPS.includes(op));
  if (kind !== undefined) return build(kind, op, operands, pos, scope, c);
  if (fitting.length > 0) {
    c.report('dqdl.condition-operator', `'${op}' does not apply to strings or $variables; use =, !=, in, not in or matches`, pos);
  } else {
    c.report('dqdl.mixed-operands', 'the values of this condition are of different kinds', pos);
  }
  return undefined;
}

export function parseCondition(c: Cursor, scope: ConditionScope): ParsedCondition {
  const start = c.peek().start;
  const op = parseOperator(c);
  if (op === undefined) return undefined;
  const operands = parseOperands(c, op);
  if (operands === undefined) return undefined;
  return { condition: classify(op, operands, span(start, c.lastEnd), scope, c) };
}
