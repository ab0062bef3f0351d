/**
 * Rules against reference datasets, given to the evaluator as named extra inputs:
 * ReferentialIntegrity, DatasetMatch, SchemaMatch, RowCountMatch and AggregateMatch.
 */
import type { Param, SimpleRule } from '../../ast.js';
import type { Values } from '../engine/execute.js';
import type { Slot } from '../engine/plan.js';
import type { Column } from '../engine/session.js';
import { ident } from '../sql/quote.js';
import type { CompiledRule, RuleContext, Verdict } from './context.js';
import { isNumeric } from './columns.js';
import { numberCondition } from './dataset.js';
import { complianceQuery } from './row-query.js';
import { errorVerdict, historyKey, judge, resolveCondition } from './verdicts.js';
import { percent } from '../engine/format.js';

function reference(ctx: RuleContext, alias: string, p: Param): readonly Column[] | undefined {
  const columns = ctx.session.references.get(alias);
  if (columns === undefined) {
    const known = [...ctx.session.references.keys()];
    ctx.fail({ code: 'dq.missing-reference', message: `no reference dataset "${alias}" was given${known.length > 0 ? ` (given: ${known.join(', ')})` : ''}`, pos: p.pos });
  }
  return columns;
}

function refColumn(ctx: RuleContext, alias: string, columns: readonly Column[], name: string, p: Param): Column | undefined {
  const c = ctx.findColumn(name, columns);
  if (c === undefined) ctx.fail({ code: 'dq.column-not-found', message: `reference dataset ${alias} has no column "${name}"`, pos: p.pos });
  return c;
}

function primaryColumn(ctx: RuleContext, name: string, p: Param): Column | undefined {
  const c = ctx.findColumn(name);
  if (c === undefined) ctx.fail({ code: 'dq.column-not-found', message: `the dataset has no column "${name}"`, pos: p.pos });
  return c;
}

const splitNames = (s: string) => s.split(',').map((x) => x.trim()).filter((x) => x !== '');

/** `ReferentialIntegrity "a,b" "ref.{x,y}"` (or `"ref.x"`): share of rows whose values exist in the reference. */
export function referentialIntegrity(rule: SimpleRule, ctx: RuleContext): CompiledRule | undefined {
  const [pp, rp] = rule.params as [Param, Param];
  const refSpec = rp.value.replaceAll('"', '');
  const m = /^(.+)\.\{(.+)\}$/.exec(refSpec) ?? /^(.+)\.([^.]+)$/.exec(refSpec);
  if (m === null) {
    ctx.fail({ code: 'dq.invalid-ruleset', message: 'ReferenceDatasetColumns must be "alias.column" or "alias.{col1,col2}"', pos: rp.pos });
    return undefined;
  }
  const alias = m[1]!;
  const refNames = splitNames(m[2]!);
  const primaryNames = splitNames(pp.value.replaceAll('"', ''));
  if (refNames.length !== primaryNames.length) {
    ctx.fail({ code: 'dq.invalid-ruleset', message: `${primaryNames.length} primary column(s) but ${refNames.length} reference column(s)`, pos: rp.pos });
    return undefined;
  }
  const refCols = reference(ctx, alias, rp);
  const ours = primaryNames.map((n) => primaryColumn(ctx, n, pp));
  const theirs = refCols === undefined ? [] : refNames.map((n) => refColumn(ctx, alias, refCols, n, rp));
  if (refCols === undefined || ours.some((c) => c === undefined) || theirs.some((c) => c === undefined)) return undefined;
  const metric = `Column.${alias}.ReferentialIntegrity`;
  const match = ours.map((c, i) => `__dq_r.${ident(theirs[i]!.name)} IS NOT DISTINCT FROM __dq_p.${ident(c!.name)}`).join(' AND ');
  return complianceQuery(rule, ctx, {
    metric,
    flag: `EXISTS (SELECT 1 FROM ${ident(alias)} AS __dq_r WHERE ${match})`,
    condition: resolveCondition(numberCondition(rule), historyKey(metric, rule), ctx),
    onEmpty: 'Value: NaN does not meet the constraint requirement. (the dataset has no rows)',
  });
}

/** `a->b,c` → [[a, b], [c, c]] */
function mappings(s: string): Array<readonly [string, string]> {
  return splitNames(s).map((pair) => {
    const [from = '', to] = pair.split('->').map((x) => x.trim());
    return [from, to ?? from] as const;
  });
}

/** `DatasetMatch "ref" "k->rk" ["m->rm"]`: share of rows whose key finds a reference row with equal values. */
export function datasetMatch(rule: SimpleRule, ctx: RuleContext): CompiledRule | undefined {
  const [ap, kp, mp] = rule.params as [Param, Param, Param | undefined];
  const alias = ap.value;
  const refCols = reference(ctx, alias, ap);
  if (refCols === undefined) return undefined;
  const keys = mappings(kp.value);
  const keySet = new Set(keys.map(([k]) => k.toLowerCase()));
  const implicit = mp === undefined;
  // Without match columns, every other column of primary is compared by name (deequ).
  const values = implicit ? ctx.session.columns.filter((c) => !keySet.has(c.name.toLowerCase())).map((c) => [c.name, c.name] as const) : mappings(mp.value);
  if (implicit) {
    const lacking = values.filter(([, to]) => ctx.findColumn(to, refCols) === undefined).map(([to]) => to);
    if (lacking.length > 0) return { finish: () => errorVerdict(`reference dataset ${alias} lacks columns to match: ${lacking.join(', ')} (name the match columns)`) };
  }
  const pairs: string[] = [];
  for (const [[from, to], p] of [...keys.map((k) => [k, kp] as const), ...values.map((v) => [v, mp ?? ap] as const)]) {
    const a = primaryColumn(ctx, from, p);
    const b = refColumn(ctx, alias, refCols, to, p);
    if (a !== undefined && b !== undefined) pairs.push(`__dq_r.${ident(b.name)} IS NOT DISTINCT FROM __dq_p.${ident(a.name)}`);
  }
  if (pairs.length !== keys.length + values.length) return undefined;
  const metric = `Dataset.${alias}.DatasetMatch`;
  return complianceQuery(rule, ctx, {
    metric,
    flag: `EXISTS (SELECT 1 FROM ${ident(alias)} AS __dq_r WHERE ${pairs.join(' AND ')})`,
    condition: resolveCondition(numberCondition(rule), historyKey(metric, rule), ctx),
    onEmpty: 'Cannot evaluate: primary DataFrame is empty',
  });
}

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

/** `RowCountMatch "ref"`: rows of primary / rows of the reference. */
export function rowCountMatch(rule: SimpleRule, ctx: RuleContext): CompiledRule | undefined {
  const p = rule.params[0]!;
  if (reference(ctx, p.value, p) === undefined) return undefined;
  const metric = `Dataset.${p.value}.RowCountMatch`;
  const resolved = resolveCondition(numberCondition(rule), historyKey(metric, rule), ctx);
  const ours = ctx.plan.aggregate('count(*)');
  const theirs = ctx.plan.query(`SELECT CAST(count(*) AS DOUBLE) AS n FROM ${ident(p.value)}`);
  return {
    finish: (v: Values) => {
      const n = Number(v.rows(theirs)?.rows[0]?.['n'] ?? Number.NaN);
      const ratio = (v.num(ours) ?? 0) / n;
      return judge(rule, metric, Number.isFinite(ratio) ? ratio : null, resolved);
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
    const expr = `CAST(${agg.fn}(${ident(c.name)}) AS DOUBLE)`;
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
