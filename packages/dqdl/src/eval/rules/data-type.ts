/**
 * ColumnDataType, after deequ (ColumnDataTypeRule): a row complies when Spark's cast of its
 * value to the named type is not NULL (`sql/spark-functions.ts` sparkCast: dates and
 * timestamps as Spark reads text, integers from text dropping a fraction, ...); `!=`
 * inverts that. Types: Boolean, Date (with an optional `format` tag), Timestamp, Integer,
 * Long, Float, Double, Decimal(p,s).
 */
import type { SimpleRule, StringCondition } from '../../ast.js';
import { str } from '../sql/quote.js';
import { sparkCast } from '../sql/spark-functions.js';
import type { CompiledRule, RuleContext } from './context.js';
import { asText, col } from './columns.js';
import { complianceRule } from './compliance.js';
import type { Column } from '../engine/session.js';
import { javaDouble, percent } from '../engine/format.js';
import { errorVerdict } from './verdicts.js';

/** DQDL type names as Spark SQL types. */
const SIMPLE: Readonly<Record<string, string>> = {
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  INTEGER: 'int',
  LONG: 'bigint',
  FLOAT: 'float',
  DOUBLE: 'double',
};

/** Java date patterns deequ accepts for `with format`, as strptime formats. */
const DATE_FORMATS: Readonly<Record<string, string>> = {
  'dd-MM-yyyy': '%d-%m-%Y',
  'MM-dd-yyyy': '%m-%d-%Y',
  'yyyy-MM-dd': '%Y-%m-%d',
  'dd/MM/yyyy': '%d/%m/%Y',
  'MM/dd/yyyy': '%m/%d/%Y',
  'yyyy/MM/dd': '%Y/%m/%d',
  'MM-yyyy': '%m-%Y',
  'yyyy-MM': '%Y-%m',
  'MM/yyyy': '%m/%Y',
  'yyyy/MM': '%Y/%m',
  'dd-MM': '%d-%m',
  'MM-dd': '%m-%d',
  'dd/MM': '%d/%m',
  'MM/dd': '%m/%d',
};

function castable(c: Column, type: string, rule: SimpleRule): string | { error: string } {
  const upper = type.toUpperCase();
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(upper);
  const target = decimal !== null ? `decimal(${decimal[1]},${decimal[2]})` : SIMPLE[upper];
  if (target === undefined) return { error: `Unrecognized data type: ${type}` };
  const formatTag = rule.tags.filter((t) => t.name === 'format').pop();
  if (upper === 'DATE' && formatTag !== undefined) {
    const fmt = formatTag.value.kind === 'string' ? DATE_FORMATS[formatTag.value.lit.value] : undefined;
    return fmt === undefined ? 'FALSE' : `try_strptime(${asText(c)}, ${str(fmt)}) IS NOT NULL`;
  }
  if (upper === 'DATE' && rule.tags.length > 0) return { error: 'Unsupported rule format' };
  return `${sparkCast(col(c), target)!} IS NOT NULL`;
}

export async function columnDataType(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  const param = rule.params[0]!;
  const c = ctx.column(param);
  const where = await ctx.where(rule);
  if (c === undefined || where === null) return undefined;
  const cond = rule.condition as StringCondition;
  if (cond.op !== '=' && cond.op !== '!=') return { finish: () => errorVerdict('ColumnDataType rule only supports EQUALS (=) or NOT_EQUALS (!=) operators') };
  const operand = cond.operands[0];
  const typeName = operand?.kind === 'string' ? operand.lit.value : operand?.kind === 'variable' ? (operand.values[0] ?? '') : '';
  const cast = castable(c, typeName, rule);
  if (typeof cast !== 'string') return { finish: () => errorVerdict(cast.error) };
  const predicate = cond.op === '=' ? `coalesce(${cast}, false)` : `NOT coalesce(${cast}, false)`;
  return complianceRule(rule, ctx, {
    metric: `Column.${param.value}.ColumnDataType.Compliance`,
    predicate,
    where,
    failure: (ratio) => (rule.threshold === undefined ? `${percent(ratio)}% of rows passed` : `Value: ${javaDouble(ratio)} does not meet the constraint requirement.`),
    onEmpty: () => ({ outcome: 'PASS', message: 'No rows matched the filter', metrics: {} }),
  });
}
