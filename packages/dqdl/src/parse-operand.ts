/**
 * Operands of conditions: numeric expressions, strings, keywords, `$variables`, `now()`
 * date arithmetic, durations and sizes. An operand is parsed without knowing the rule
 * type; `parse-condition.ts` then decides what kind of condition the operands make.
 */
import type { ArithmeticOp, DateExpr, Duration, Keyword, NumExpr, Size, StringLit } from './ast.js';
import { span, type Cursor } from './cursor.js';
import { unescapeString, type Token } from './lexer.js';
import { isDurationUnit, isReserved, isSizeUnit, keywordOf } from './words.js';

/** What a quoted string looks like to the upstream lexer: a DATE, a TIME, or plain text. */
export type StringShape = 'date' | 'time' | 'plain';

export type Operand =
  | { readonly kind: 'num'; readonly expr: NumExpr }
  | { readonly kind: 'keyword'; readonly keyword: Keyword; readonly pos: readonly [number, number] }
  | { readonly kind: 'string'; readonly lit: StringLit; readonly shape: StringShape }
  | { readonly kind: 'variable'; readonly name: string; readonly pos: readonly [number, number] }
  | { readonly kind: 'date'; readonly expr: DateExpr }
  | { readonly kind: 'duration'; readonly duration: Duration }
  | { readonly kind: 'size'; readonly size: Size };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_12H_RE = /^\d{1,2}:\d{2} (?:AM|PM)$/;
const TIME_24H_RE = /^\d{2}:\d{2}$/;

export function stringShape(raw: string): StringShape {
  if (DATE_RE.test(raw)) return 'date';
  if (TIME_12H_RE.test(raw) || TIME_24H_RE.test(raw)) return 'time';
  return 'plain';
}

export function stringLit(token: Token): StringLit {
  return { raw: token.raw, value: unescapeString(token.raw), pos: span(token.start, token.end) };
}

const ARITHMETIC = new Set(['+', '-', '*', '/']);
const SIZE_FACTOR = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 } as const;

function isArithmetic(c: Cursor, ahead = 0): boolean {
  const t = c.peek(ahead);
  return t.kind === 'punct' && ARITHMETIC.has(t.text);
}

function isNumberToken(t: Token): boolean {
  return t.kind === 'int' || t.kind === 'decimal';
}

function parseNumPrimary(c: Cursor): NumExpr | undefined {
  const t = c.peek();
  if (isNumberToken(t)) {
    c.next();
    return { kind: 'number', text: t.text, value: Number(t.text), pos: span(t.start, t.end) };
  }
  if (t.kind === 'punct' && t.text === '-' && isNumberToken(c.peek(1))) {
    c.next();
    const n = c.next();
    const text = `-${n.text}`;
    return { kind: 'number', text, value: Number(text), pos: span(t.start, n.end) };
  }
  if (t.kind === 'word' && keywordOf(t.text) === 'NULL') {
    c.next();
    return { kind: 'null', pos: span(t.start, t.end) };
  }
  if (t.kind === 'word' && !isReserved(t.text) && c.isPunct('(', 1)) return c.nested(t, () => parseCall(c, t));
  if (t.kind === 'punct' && t.text === '(') return c.nested(t, () => parseParenthesised(c, t));
  return c.fail('a number');
}

/** `name(arg, ...)`; the cursor is at the name. */
function parseCall(c: Cursor, name: Token): NumExpr | undefined {
  c.next();
  c.next();
  const args: NumExpr[] = [];
  if (!c.isPunct(')')) {
    do {
      const arg = parseNumExpr(c);
      if (arg === undefined) return undefined;
      args.push(arg);
    } while (c.eatPunct(','));
  }
  const close = c.expectPunct(')');
  if (close === undefined) return undefined;
  return { kind: 'call', name: name.text, args, pos: span(name.start, close.end) };
}

/** `( expr )`; the cursor is at `(`. */
function parseParenthesised(c: Cursor, open: Token): NumExpr | undefined {
  c.next();
  const inner = parseNumExpr(c);
  if (inner === undefined) return undefined;
  const close = c.expectPunct(')');
  if (close === undefined) return undefined;
  // Upstream keeps the parentheses of arithmetic only; `(5)` prints as `5`.
  return inner.kind === 'binary' ? { ...inner, parenthesized: true, pos: span(open.start, close.end) } : inner;
}

/** `+ - * /` at one precedence level, left-associative, as in the upstream grammar. */
export function parseNumExpr(c: Cursor): NumExpr | undefined {
  let levels = 0;
  try {
    let left = parseNumPrimary(c);
    while (left !== undefined && isArithmetic(c)) {
      // Each operator nests the left side one level deeper.
      if (!c.enter(c.peek())) return undefined;
      levels++;
      const op = c.next().text as ArithmeticOp;
      const right = parseNumPrimary(c);
      if (right === undefined) return undefined;
      left = { kind: 'binary', op, left, right, parenthesized: false, pos: span(left.pos[0], right.pos[1]) };
    }
    return left;
  } finally {
    c.leave(levels);
  }
}

function parseDuration(c: Cursor): Duration | undefined {
  const amount = c.peek();
  if (amount.kind !== 'int') return c.fail('a whole number of days, hours or minutes');
  c.next();
  const unit = c.peek();
  if (unit.kind !== 'word' || !isDurationUnit(unit.text)) return c.fail("'days', 'hours' or 'minutes'");
  c.next();
  return { amount: Number(amount.text), unit: unit.text, pos: span(amount.start, unit.end) };
}

/** `(now() - 3 days)` / `(now() + 4 hours)`; the cursor is on `(`. */
function parseNowOffset(c: Cursor): DateExpr | undefined {
  const open = c.next();
  c.next(); // now()
  const op = c.peek();
  if (!(op.kind === 'punct' && (op.text === '-' || op.text === '+'))) return c.fail("'-' or '+'");
  c.next();
  const duration = parseDuration(c);
  if (duration === undefined) return undefined;
  const close = c.expectPunct(')');
  if (close === undefined) return undefined;
  return { kind: 'now-offset', op: op.text as '+' | '-', duration, pos: span(open.start, close.end) };
}

/** One operand of a condition. */
export function parseOperand(c: Cursor): Operand | undefined {
  const t = c.peek();
  if (t.kind === 'string') {
    c.next();
    return { kind: 'string', lit: stringLit(t), shape: stringShape(t.raw) };
  }
  if (t.kind === 'variable') {
    c.next();
    return { kind: 'variable', name: t.text.slice(1), pos: span(t.start, t.end) };
  }
  if (t.kind === 'now') {
    c.next();
    return { kind: 'date', expr: { kind: 'now', pos: span(t.start, t.end) } };
  }
  if (t.kind === 'punct' && t.text === '(' && c.peek(1).kind === 'now') {
    const expr = parseNowOffset(c);
    return expr === undefined ? undefined : { kind: 'date', expr };
  }
  const keyword = t.kind === 'word' ? keywordOf(t.text) : undefined;
  if (keyword !== undefined && !(keyword === 'NULL' && isArithmetic(c, 1))) {
    c.next();
    return { kind: 'keyword', keyword, pos: span(t.start, t.end) };
  }
  const unit = c.peek(1);
  if (t.kind === 'int' && unit.kind === 'word' && isDurationUnit(unit.text)) {
    const duration = parseDuration(c);
    return duration === undefined ? undefined : { kind: 'duration', duration };
  }
  if (t.kind === 'int' && unit.kind === 'word' && isSizeUnit(unit.text)) {
    c.next();
    c.next();
    const amount = Number(t.text);
    return {
      kind: 'size',
      size: { amount, unit: unit.text, bytes: amount * SIZE_FACTOR[unit.text], pos: span(t.start, unit.end) },
    };
  }
  const startsNumber =
    isNumberToken(t) ||
    keyword === 'NULL' ||
    (t.kind === 'punct' && (t.text === '-' || t.text === '(')) ||
    (t.kind === 'word' && c.isPunct('(', 1));
  if (!startsNumber) return c.fail('a value');
  const expr = parseNumExpr(c);
  return expr === undefined ? undefined : { kind: 'num', expr };
}
