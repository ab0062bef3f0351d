/** Dataset-level rules: RowCount, ColumnCount, ColumnExists, ColumnNamesMatchPattern. */
import type { NumberCondition, SimpleRule } from '../../ast.js';
import type { Metrics } from '../types.js';
import type { CompiledRule, RuleContext } from './context.js';
import { filtered } from './columns.js';
import { historyKey, judge, resolveCondition } from './verdicts.js';

export const numberCondition = (rule: SimpleRule): NumberCondition => rule.condition as NumberCondition;

export async function rowCount(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  const where = await ctx.where(rule);
  if (where === null) return undefined;
  const metric = 'Dataset.*.RowCount';
  const slot = ctx.plan.aggregate(filtered('count(*)', where));
  const resolved = resolveCondition(numberCondition(rule), historyKey(metric, rule), ctx);
  return { finish: (v) => judge(rule, metric, v.num(slot), resolved) };
}

export function columnCount(rule: SimpleRule, ctx: RuleContext): CompiledRule {
  const metric = 'Dataset.*.ColumnCount';
  const resolved = resolveCondition(numberCondition(rule), metric, ctx);
  const count = ctx.session.columns.length;
  return { finish: () => judge(rule, metric, count, resolved) };
}

export function columnExists(rule: SimpleRule, ctx: RuleContext): CompiledRule {
  const name = rule.params[0]?.value ?? '';
  const found = ctx.findColumn(name) !== undefined;
  return {
    finish: () => (found ? { outcome: 'PASS', metrics: {} } : { outcome: 'FAIL', message: `Column ${name} does not exist`, metrics: {} }),
  };
}

/**
 * The pattern runs in DuckDB's RE2, as `matches` does: linear in the name's length, so no
 * pattern can stall an evaluation. It matches anywhere in a name (`regexp_matches`).
 */
export async function columnNamesMatchPattern(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule> {
  const pattern = rule.params[0]?.value ?? '';
  const names = ctx.session.columns.map((c) => c.name);
  let matched: readonly boolean[];
  try {
    const [row] = await ctx.session.rows('SELECT list_transform($2::JSON::VARCHAR[], n -> regexp_matches(n, $1::VARCHAR)) AS m', [pattern, JSON.stringify(names)]);
    matched = (row?.['m'] ?? []) as boolean[];
  } catch (err) {
    const message = `Invalid regex pattern '${pattern}' for ColumnNamesMatchPattern rule: ${(err as Error).message.split('\n')[0] ?? ''}`;
    return { finish: () => ({ outcome: 'ERROR', message, metrics: {} }) };
  }
  const unmatched = names.filter((_, i) => matched[i] !== true);
  const ratio = names.length === 0 ? Number.NaN : (names.length - unmatched.length) / names.length;
  const metrics: Metrics = Number.isNaN(ratio) ? {} : { 'Dataset.*.ColumnNamesPatternMatchRatio': ratio };
  return {
    finish: () =>
      unmatched.length === 0
        ? { outcome: 'PASS', metrics, history: metrics }
        : { outcome: 'FAIL', message: `Columns that do not match the pattern: ${unmatched.join(', ')}`, metrics, history: metrics },
  };
}
