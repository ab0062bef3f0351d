/**
 * A small Python expression tree and its layout, in the style `ruff format` produces:
 * an expression stays on one line when it fits in 88 columns, otherwise its brackets break
 * one element per line with a trailing comma (which ruff keeps as a "magic trailing comma").
 */
import { pyNumber, pyString } from './literal.js';

export type PyExpr =
  | { readonly kind: 'code'; readonly code: string }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly PyExpr[]; readonly kwargs: readonly PyKwarg[] }
  | { readonly kind: 'list'; readonly items: readonly PyExpr[] }
  | { readonly kind: 'dict'; readonly entries: readonly (readonly [PyExpr, PyExpr])[] }
  /** `target.method(kwargs)`, e.g. `Operator.partial(...).expand(...)`. */
  | { readonly kind: 'method'; readonly target: PyExpr; readonly method: string; readonly kwargs: readonly PyKwarg[] };

export type PyKwarg = readonly [name: string, value: PyExpr];

export const LINE_LENGTH = 88;
const INDENT = '    ';

/** Trusted code: names, attribute chains, operators the generator writes itself. */
export const code = (text: string): PyExpr => ({ kind: 'code', code: text });
export const str = (value: string): PyExpr => code(pyString(value));
export const num = (value: number): PyExpr => code(pyNumber(value));
export const bool = (value: boolean): PyExpr => code(value ? 'True' : 'False');
export const none: PyExpr = code('None');
export const call = (callee: string, kwargs: readonly PyKwarg[] = [], args: readonly PyExpr[] = []): PyExpr => ({ kind: 'call', callee, args, kwargs });
export const method = (target: PyExpr, name: string, kwargs: readonly PyKwarg[]): PyExpr => ({ kind: 'method', target, method: name, kwargs });
export const list = (items: readonly PyExpr[]): PyExpr => ({ kind: 'list', items });
export const dict = (entries: readonly (readonly [PyExpr, PyExpr])[]): PyExpr => ({ kind: 'dict', entries });
/** `name=value` when there is a value, else nothing: for optional keyword arguments. */
export const optionalStr = (name: string, value: string | undefined): PyKwarg[] => (value === undefined ? [] : [[name, str(value)]]);
export const strDict = (record: Readonly<Record<string, PyExpr>>): PyExpr =>
  dict(Object.entries(record).map(([key, value]) => [str(key), value] as const));

/** Any JSON value from a spec, as a Python literal. */
export function json(value: unknown): PyExpr {
  if (value === null || value === undefined) return none;
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number') return num(value);
  if (typeof value === 'boolean') return bool(value);
  if (Array.isArray(value)) return list(value.map(json));
  return strDict(Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, json(v)])));
}

/** The expression on one line. */
export function flat(expr: PyExpr): string {
  switch (expr.kind) {
    case 'code':
      return expr.code;
    case 'call':
      return `${expr.callee}(${[...expr.args.map(flat), ...expr.kwargs.map(([name, value]) => `${name}=${flat(value)}`)].join(', ')})`;
    case 'list':
      return `[${expr.items.map(flat).join(', ')}]`;
    case 'dict':
      return `{${expr.entries.map(([key, value]) => `${flat(key)}: ${flat(value)}`).join(', ')}}`;
    case 'method':
      return `${flat(expr.target)}.${expr.method}(${expr.kwargs.map(([name, value]) => `${name}=${flat(value)}`).join(', ')})`;
  }
}

/**
 * Lines of `prefix + expr + suffix` at `indent` levels. Widths are over-estimated for
 * non-ASCII text, so a line is only kept flat when ruff would keep it flat too.
 */
export function layout(expr: PyExpr, indent: number, prefix = '', suffix = ''): string[] {
  const pad = INDENT.repeat(indent);
  const oneLine = `${pad}${prefix}${flat(expr)}${suffix}`;
  if (displayWidth(oneLine) <= LINE_LENGTH || expr.kind === 'code') return [oneLine];
  if (expr.kind === 'method') return layoutMethod(expr, indent, prefix, suffix);
  return exploded(expr, indent, prefix, suffix);
}

/**
 * A method call on a call that does not fit on one line: both brackets break, each with a
 * trailing comma, which ruff keeps as it is (a half-broken chain it would re-wrap).
 */
function layoutMethod(expr: Extract<PyExpr, { kind: 'method' }>, indent: number, prefix: string, suffix: string): string[] {
  const pad = INDENT.repeat(indent);
  const args = (kwargs: readonly PyKwarg[]): string[] => kwargs.flatMap(([name, value]) => layout(value, indent + 1, `${name}=`, ','));
  const target = exploded(expr.target, indent, prefix, '');
  const last = target.pop() ?? '';
  return [...target, `${last}.${expr.method}(`, ...args(expr.kwargs), `${pad})${suffix}`];
}

/**
 * The expression with its outer brackets broken, one element per line, whatever its width
 * (an expression without brackets, or with nothing inside them, stays on one line).
 */
function exploded(expr: PyExpr, indent: number, prefix: string, suffix: string): string[] {
  const pad = INDENT.repeat(indent);
  const [open, close, parts] = brackets(expr);
  if (parts.length === 0) return [`${pad}${prefix}${flat(expr)}${suffix}`];
  return [`${pad}${prefix}${open}`, ...parts.flatMap((part) => layout(part.value, indent + 1, part.prefix, ',')), `${pad}${close}${suffix}`];
}

function brackets(expr: PyExpr): [string, string, { prefix: string; value: PyExpr }[]] {
  switch (expr.kind) {
    case 'call':
      return [
        `${expr.callee}(`,
        ')',
        [...expr.args.map((value) => ({ prefix: '', value })), ...expr.kwargs.map(([name, value]) => ({ prefix: `${name}=`, value }))],
      ];
    case 'list':
      return ['[', ']', expr.items.map((value) => ({ prefix: '', value }))];
    case 'dict':
      return ['{', '}', expr.entries.map(([key, value]) => ({ prefix: `${flat(key)}: `, value }))];
    case 'code':
    case 'method':
      return ['', '', []];
  }
}

/** Columns a line takes, counting every non-ASCII character as two (an upper bound). */
export function displayWidth(line: string): number {
  let width = 0;
  for (const char of line) width += (char.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
  return width;
}

/** `name = expr` as lines. */
export function assign(name: string, expr: PyExpr, indent: number): string[] {
  return layout(expr, indent, `${name} = `);
}
