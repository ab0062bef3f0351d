/**
 * Row-matching rules against reference datasets (named extra inputs): ReferentialIntegrity
 * and DatasetMatch. Their row flags are correlated EXISTS over the reference.
 */
import type { Param, SimpleRule } from '../../ast.js';
import { ident } from '../sql/quote.js';
import type { CompiledRule, RuleContext } from './context.js';
import { numberCondition } from './dataset.js';
import { primaryColumn, reference, refColumn } from './reference-columns.js';
import { complianceQuery } from './row-query.js';
import { errorVerdict, historyKey, resolveCondition } from './verdicts.js';

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

