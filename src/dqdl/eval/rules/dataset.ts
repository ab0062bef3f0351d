/** Dataset-level rules: RowCount, ColumnCount, ColumnExists, ColumnNamesMatchPattern. */
import type { NumberCondition, SimpleRule } from '../../ast.js';
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

export function columnNamesMatchPattern(rule: SimpleRule, ctx: RuleContext): CompiledRule {
  const pattern = rule.params[0]?.value ?? '';
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch (err) {
    const message = `Invalid regex pattern '${pattern}' for ColumnNamesMatchPattern rule: ${(err as Error).message}`;
    return { finish: () => ({ outcome: 'ERROR', message, metrics: {} }) };
  }
  const names = ctx.session.columns.map((c) => c.name);
  const unmatched = names.filter((n) => !re.test(n));
  const ratio = names.length === 0 ? Number.NaN : (names.length - unmatched.length) / names.length;
  const metrics = Number.isNaN(ratio) ? {} : { 'Dataset.*.ColumnNamesPatternMatchRatio': ratio };
  return {
    finish: () =>
      unmatched.length === 0
        ? { outcome: 'PASS', metrics, history: metrics }
        : { outcome: 'FAIL', message: `Columns that do not match the pattern: ${unmatched.join(', ')}`, metrics, history: metrics },
  };
}
