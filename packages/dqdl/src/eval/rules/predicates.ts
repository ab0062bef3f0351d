/**
 * Row predicates of ColumnValues, after deequ's ColumnValuesRule: NULL rows fail every
 * operator except `!=` and `not in` (unless NULL is listed); `between` is exclusive;
 * keywords EMPTY and WHITESPACES_ONLY match '' and whitespace-only text (tabs and newlines
 * too, where deequ trims only spaces). As Glue documents, NULL passes `not in [EMPTY]`
 * (deequ's `col != ''` would fail it).
 */
import type { DateCondition, OrderedOp, StringCondition } from '../../ast.js';
import { num, str } from '../sql/quote.js';
import { sparkDate } from '../sql/spark-dates.js';

const list = (items: readonly string[]) => items.join(', ');

/** `x op operands` for numbers; `raw` is the column itself (for IS NULL), `x` it as a number. */
export function numberPredicate(raw: string, x: string, op: OrderedOp, operands: readonly (number | null)[]): string {
  const hasNull = operands.some((o) => o === null);
  const nums = operands.filter((o): o is number => o !== null).map(num);
  const [a = 'NULL', b = 'NULL'] = nums;
  switch (op) {
    case '>':
    case '>=':
    case '<':
    case '<=':
      return `${x} ${op} ${a}`;
    case '=':
      return hasNull ? `${raw} IS NULL` : `${x} = ${a}`;
    case '!=':
      return hasNull ? `${raw} IS NOT NULL` : `(${raw} IS NULL OR ${x} != ${a})`;
    case 'between':
      return `(${x} > ${a} AND ${x} < ${b})`;
    case 'not between':
      return `(${x} IS NOT NULL AND (${x} <= ${a} OR ${x} >= ${b}))`;
    case 'in':
      if (nums.length > 0) return hasNull ? `(${x} IN (${list(nums)}) OR ${raw} IS NULL)` : `(${x} IS NOT NULL AND ${x} IN (${list(nums)}))`;
      return hasNull ? `${raw} IS NULL` : 'FALSE';
    case 'not in':
      if (nums.length > 0) return hasNull ? `(${x} NOT IN (${list(nums)}) AND ${raw} IS NOT NULL)` : `(${raw} IS NULL OR ${x} NOT IN (${list(nums)}))`;
      return hasNull ? `${raw} IS NOT NULL` : 'TRUE';
  }
}

const WHITESPACE_ONLY = (x: string) => `regexp_full_match(${x}, '\\s+')`;

/** `=`/`in` (positive) or `!=`/`not in` (negated) over strings and keywords. */
function setPredicate(raw: string, x: string, c: StringCondition, negated: boolean): string {
  const values: string[] = [];
  let hasNull = false;
  let hasEmpty = false;
  let hasBlank = false;
  for (const o of c.operands) {
    if (o.kind === 'string') values.push(o.lit.value);
    else if (o.kind === 'variable') values.push(...o.values);
    else if (o.keyword === 'NULL') hasNull = true;
    else if (o.keyword === 'EMPTY') hasEmpty = true;
    else hasBlank = true;
  }
  const parts: string[] = [];
  const quoted = list(values.map(str));
  if (negated) {
    if (hasNull) parts.push(`${raw} IS NOT NULL`);
    if (hasEmpty) parts.push(`coalesce(${x} != '', true)`);
    if (hasBlank) parts.push(`NOT coalesce(${WHITESPACE_ONLY(x)}, false)`);
    if (values.length > 0) parts.push(`(${raw} IS NULL OR ${x} NOT IN (${quoted}))`);
    return parts.length === 0 ? 'TRUE' : `(${parts.join(' AND ')})`;
  }
  if (hasNull) parts.push(`${raw} IS NULL`);
  if (hasEmpty) parts.push(`${x} = ''`);
  if (hasBlank) parts.push(WHITESPACE_ONLY(x));
  if (values.length > 0) parts.push(`(${raw} IS NOT NULL AND ${x} IN (${quoted}))`);
  return parts.length === 0 ? 'FALSE' : `(${parts.join(' OR ')})`;
}

/** The regular expression of a `matches` condition: a string, or a variable's value. */
export function matchPattern(c: StringCondition): string {
  const first = c.operands[0];
  return first?.kind === 'string' ? first.lit.value : first?.kind === 'variable' ? (first.values[0] ?? '') : '';
}

/** String conditions: `x` is the column as text. `matches` is a full match. */
export function stringPredicate(raw: string, x: string, c: StringCondition): string {
  switch (c.op) {
    case 'matches':
    case 'not matches': {
      const m = `regexp_full_match(${x}, ${str(matchPattern(c))})`;
      return c.op === 'matches' ? m : `NOT ${m}`;
    }
    case '=':
    case 'in':
      return setPredicate(raw, x, c, false);
    case '!=':
    case 'not in':
      return setPredicate(raw, x, c, true);
  }
}

/** Date conditions on `d` (the column as DATE) against operand dates (null for NULL). */
export function datePredicate(raw: string, d: string, c: DateCondition, dates: readonly (string | null)[]): string {
  const hasNull = dates.some((x) => x === null);
  // deequ compares to_date(c) with the operand's text, which Spark casts to a date: NULL when it is none.
  const lits = dates.filter((x): x is string => x !== null).map((x) => sparkDate(str(x)));
  const [a = 'NULL', b = 'NULL'] = lits;
  switch (c.op) {
    case '>':
    case '>=':
    case '<':
    case '<=':
      return `${d} ${c.op} ${a}`;
    case '=':
      return hasNull ? `${raw} IS NULL` : `${d} = ${a}`;
    case '!=':
      return hasNull ? `${raw} IS NOT NULL` : `(${raw} IS NULL OR ${d} != ${a})`;
    case 'between':
      return `(${d} > ${a} AND ${d} < ${b})`;
    case 'not between':
      return `(${d} <= ${a} OR ${d} >= ${b})`;
    case 'in': {
      const parts = [...(lits.length > 0 ? [`${d} IN (${list(lits)})`] : []), ...(hasNull ? [`${raw} IS NULL`] : [])];
      return parts.length === 0 ? 'FALSE' : `(${parts.join(' OR ')})`;
    }
    case 'not in': {
      if (lits.length > 0 && hasNull) return `(${d} NOT IN (${list(lits)}) AND ${raw} IS NOT NULL)`;
      if (lits.length > 0) return `(${raw} IS NULL OR ${d} NOT IN (${list(lits)}))`;
      return hasNull ? `${raw} IS NOT NULL` : 'TRUE';
    }
  }
}
