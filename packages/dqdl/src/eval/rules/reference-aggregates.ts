/**
 * Dataset-level comparisons with reference datasets: SchemaMatch, RowCountMatch and
 * AggregateMatch.
 */
import type { Param, SimpleRule } from '../../ast.js';
import type { Values } from '../engine/execute.js';
import { percent } from '../engine/format.js';
import type { Slot } from '../engine/plan.js';
import { ident } from '../sql/quote.js';
import type { CompiledRule, RuleContext, Verdict } from './context.js';
import { isNumeric } from './columns.js';
import { numberCondition } from './dataset.js';
import { primaryColumn, reference, refColumn } from './reference-columns.js';
import { meanSql, sumSql } from './statistics-sql.js';
import { errorVerdict, historyKey, judge, resolveCondition } from './verdicts.js';

/** `SchemaMatch "ref"`: share of columns with the same name and type, when the counts agree. */
export function schemaMatch(rule: SimpleRule, ctx: RuleContext): CompiledRule | undefined {
  const p = rule.params[0]!;
  const refCols = reference(ctx, p.value, p);
  if (refCols === undefined) return undefined;
  const metric = `Dataset.${p.value}.SchemaMatch`;
  const resolved = resolveCondition(numberCondition(rule), historyKey(metric, rule), ctx);
  const ours = ctx.session.columns;
  const finish = (): Verdict => {
    if (ours.length === 0 || refCols.length === 0) return { outcome: 'FAIL', message: 'One or both datasets have no columns', metrics: { [metric]: 0 } };
    if (ours.length !== refCols.length) return { outcome: 'FAIL', message: 'Column counts do not match', metrics: { [metric]: 0 } };
    const types = new Map(refCols.map((c) => [c.name, c.type] as const));
    const ratio = ours.filter((c) => types.get(c.name) === c.type).length / ours.length;
    const v = judge(rule, metric, ratio, resolved);
    return v.outcome === 'FAIL' ? { ...v, message: `${percent(ratio)}% of columns passed the threshold` } : v;
  };
  return { finish };
}

/** `RowCountMatch "ref"`: rows of primary / rows of the reference (Infinity or NaN when the reference is empty). */
export function rowCountMatch(rule: SimpleRule, ctx: RuleContext): CompiledRule | undefined {
  const p = rule.params[0]!;
  if (reference(ctx, p.value, p) === undefined) return undefined;
  const metric = `Dataset.${p.value}.RowCountMatch`;
  const resolved = resolveCondition(numberCondition(rule), historyKey(metric, rule), ctx);
  const ours = ctx.plan.aggregate('count(*)');
  const theirs = ctx.plan.query(`SELECT CAST(count(*) AS DOUBLE) AS n FROM ${ident(p.value)}`);
  return {
    finish: (v: Values) => {
      const n = v.rows(theirs)?.rows[0]?.['n'];
      // As a double division: Infinity when the reference is empty, NaN when both are.
      return judge(rule, metric, typeof n === 'number' ? (v.num(ours) ?? 0) / n : null, resolved);
    },
  };
}

interface Aggregate {
  readonly fn: 'sum' | 'avg';
  readonly alias: string;
  readonly column: string;
}

function parseAggregate(p: Param): Aggregate | undefined {
  const m = /^(sum|avg|SUM|AVG)\((.*)\)$/.exec(p.value.trim());
  if (m === null) return undefined;
  const target = m[2]!.trim();
  const dot = target.lastIndexOf('.');
  const column = (dot === -1 ? target : target.slice(dot + 1)).replaceAll('"', '');
  return { fn: m[1]!.toLowerCase() as 'sum' | 'avg', alias: dot === -1 ? 'primary' : target.slice(0, dot), column };
}

/** `AggregateMatch "sum(a)" "sum(ref.b)"`: the ratio of two aggregates (1 when both are 0). */
export function aggregateMatch(rule: SimpleRule, ctx: RuleContext): CompiledRule | undefined {
  const parsed = rule.params.map((p) => [parseAggregate(p), p] as const);
  const slots: Slot[] = [];
  const names: string[] = [];
  for (const [agg, p] of parsed) {
    if (agg === undefined) {
      ctx.fail({ code: 'dq.invalid-ruleset', message: 'AggregateMatch takes sum(column) or avg(column), optionally alias.column', pos: p.pos });
      return undefined;
    }
    const columns = agg.alias === 'primary' ? ctx.session.columns : reference(ctx, agg.alias, p);
    if (columns === undefined) return undefined;
    const c = agg.alias === 'primary' ? primaryColumn(ctx, agg.column, p) : refColumn(ctx, agg.alias, columns, agg.column, p);
    if (c === undefined) return undefined;
    if (!isNumeric(c)) return { finish: () => errorVerdict(`Column ${c.name} is not numeric (${c.type})`) };
    names.push(agg.column);
    // A query of its own has no fallback pass: the form that never raises.
    const statistic = (agg.fn === 'sum' ? sumSql : meanSql)(c, undefined);
    const expr = `CAST(${statistic.fallback ?? statistic.sql} AS DOUBLE)`;
    slots.push(agg.alias === 'primary' ? ctx.plan.aggregate(expr) : ctx.plan.query(`SELECT ${expr} AS v FROM ${ident(agg.alias)}`));
  }
  const metric = `Column.${[...new Set(names)].join(',')}.AggregateMatch`;
  const resolved = resolveCondition(numberCondition(rule), historyKey(metric, rule), ctx);
  const read = (v: Values, i: number): number | null => {
    const slot = slots[i]!;
    if (slot.pass === 'agg') return v.num(slot);
    const x = v.rows(slot)?.rows[0]?.['v'];
    return typeof x === 'number' ? x : null;
  };
  return {
    finish: (v: Values) => {
      const a = read(v, 0);
      const b = read(v, 1);
      if (a === null || b === null) return judge(rule, metric, null, resolved);
      const ratio = a === 0 && b === 0 ? 1 : b === 0 ? 0 : a / b;
      return judge(rule, metric, ratio, resolved);
    },
  };
}
