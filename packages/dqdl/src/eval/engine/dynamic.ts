/**
 * Numeric operands, including dynamic expressions over metric history:
 * `last(k)` (the k most recent earlier values), `avg|median|max|min|sum|std(last(k))`,
 * `index(last(k), i)` (0 is the most recent) and `abs(x)`, with `+ - * /`.
 * With no history, `last(k)` is empty and every aggregation of it is 0.0 (Glue).
 * The parser accepts any function name; here they are checked, and a list where a
 * number is needed (`RowCount > last(5)`) is an error.
 */
import type { NumExpr, SimpleRule, Span } from '../../ast.js';
import type { EvalError } from '../types.js';

type Shape = 'number' | 'list';

const AGGREGATIONS = new Set(['avg', 'median', 'max', 'min', 'sum', 'std']);
const FUNCTIONS = ['last', 'index', 'abs', ...AGGREGATIONS].join(', ');

function problem(message: string, pos: Span): EvalError {
  return { code: 'dq.invalid-ruleset', message, pos };
}

function isNonNegativeInteger(e: NumExpr | undefined): e is NumExpr & { kind: 'number' } {
  return e?.kind === 'number' && Number.isInteger(e.value) && e.value >= 0;
}

function shapeOf(e: NumExpr, out: EvalError[]): Shape {
  switch (e.kind) {
    case 'number':
    case 'null':
      return 'number';
    case 'binary': {
      const l = shapeOf(e.left, out);
      const r = shapeOf(e.right, out);
      if (l === 'list' || r === 'list') out.push(problem(`'${e.op}' needs numbers, not the list last(k) gives: aggregate it first, e.g. avg(last(k))`, e.pos));
      return 'number';
    }
    case 'call':
      return callShape(e, out);
  }
}

function callShape(e: NumExpr & { kind: 'call' }, out: EvalError[]): Shape {
  const name = e.name;
  const args = e.args;
  if (name === 'last') {
    const k = args[0];
    if (args.length !== 1 || !isNonNegativeInteger(k) || k.value < 1) out.push(problem('last(k) takes one whole number k ≥ 1', e.pos));
    return 'list';
  }
  if (AGGREGATIONS.has(name)) {
    if (args.length !== 1 || (args[0] !== undefined && shapeOf(args[0], out) !== 'list')) {
      out.push(problem(`${name}() takes one list: ${name}(last(k))`, e.pos));
    }
    return 'number';
  }
  if (name === 'index') {
    const [list, i] = args;
    if (args.length !== 2 || list === undefined || shapeOf(list, out) !== 'list' || !isNonNegativeInteger(i)) {
      out.push(problem('index() takes a list and a whole number: index(last(k), i)', e.pos));
    }
    return 'number';
  }
  if (name === 'abs') {
    if (args.length !== 1 || (args[0] !== undefined && shapeOf(args[0], out) !== 'number')) out.push(problem('abs() takes one number', e.pos));
    return 'number';
  }
  out.push(problem(`unknown function ${name}(): dynamic expressions use ${FUNCTIONS}`, e.pos));
  return 'number';
}

/** Whether the expression reads history. */
export function isDynamic(e: NumExpr): boolean {
  switch (e.kind) {
    case 'call':
      return true;
    case 'binary':
      return isDynamic(e.left) || isDynamic(e.right);
    default:
      return false;
  }
}

/** Problems in an operand: unknown functions, wrong arities, a list where a number is needed. */
export function checkOperand(e: NumExpr): EvalError[] {
  const out: EvalError[] = [];
  if (shapeOf(e, out) === 'list') out.push(problem('a condition needs a number, not a list: aggregate it, e.g. avg(last(k))', e.pos));
  return out;
}

/** Rules whose condition is judged row by row, where there is no metric history to read. */
const ROW_CONDITIONS: ReadonlySet<string> = new Set(['ColumnValues', 'ColumnLength']);

/**
 * Problems in a rule's numeric operands (its condition and its threshold): `checkOperand`'s,
 * and a dynamic operand in a condition judged row by row.
 */
export function checkRuleOperands(rule: SimpleRule): EvalError[] {
  const out: EvalError[] = [];
  const check = (operands: readonly NumExpr[], allowDynamic: boolean) => {
    for (const o of operands) {
      const problems = checkOperand(o);
      out.push(...problems);
      if (problems.length === 0 && !allowDynamic && isDynamic(o)) out.push(problem('this rule does not take dynamic expressions', o.pos));
    }
  };
  if (rule.condition?.kind === 'number') check(rule.condition.operands, !ROW_CONDITIONS.has(rule.ruleType));
  if (rule.threshold !== undefined) check(rule.threshold.condition.operands, true);
  return out;
}

function aggregate(name: string, xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  switch (name) {
    case 'avg':
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    case 'sum':
      return xs.reduce((a, b) => a + b, 0);
    case 'max':
      return Math.max(...xs);
    case 'min':
      return Math.min(...xs);
    case 'median': {
      const s = [...xs].sort((a, b) => a - b);
      const mid = Math.floor(s.length / 2);
      return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
    }
    default: {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    }
  }
}

function evalList(e: NumExpr, history: readonly number[]): readonly number[] {
  return e.kind === 'call' && e.name === 'last' && e.args[0]?.kind === 'number' ? history.slice(0, e.args[0].value) : [];
}

/**
 * The value of a checked operand; `history` is the rule's metric in earlier runs, most
 * recent first. `null` for `NULL`.
 */
export function evalOperand(e: NumExpr, history: readonly number[]): number | null {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'null':
      return null;
    case 'binary': {
      const l = evalOperand(e.left, history);
      const r = evalOperand(e.right, history);
      if (l === null || r === null) return null;
      return e.op === '+' ? l + r : e.op === '-' ? l - r : e.op === '*' ? l * r : l / r;
    }
    case 'call': {
      if (e.name === 'abs') {
        const v = e.args[0] === undefined ? null : evalOperand(e.args[0], history);
        return v === null ? null : Math.abs(v);
      }
      if (e.name === 'index') {
        const list = e.args[0] === undefined ? [] : evalList(e.args[0], history);
        const i = e.args[1]?.kind === 'number' ? e.args[1].value : 0;
        return list[i] ?? 0;
      }
      return aggregate(e.name, e.args[0] === undefined ? [] : evalList(e.args[0], history));
    }
  }
}
