/**
 * CustomSql, on `primary` (and reference datasets by alias), read-only. With a numeric
 * condition the statement must give one number (`Dataset.*.CustomSQL`). Without one (or
 * with only a threshold) it is row-level: it selects rows of primary, and a row passes
 * when the statement returned it (`Dataset.*.CustomSQL.Compliance`).
 */
import type { SimpleRule } from '../../ast.js';
import type { Values } from '../engine/execute.js';
import { guardCustomSql, isSqlProblem } from '../sql/guard.js';
import { ident } from '../sql/quote.js';
import type { CompiledRule, RuleContext, Verdict } from './context.js';
import { complianceQuery } from './row-query.js';
import { spanInParam } from './positions.js';
import { errorVerdict, historyKey, judge, resolveCondition } from './verdicts.js';

const METRIC = 'Dataset.*.CustomSQL';

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v !== null && typeof v === 'object' && 'toDouble' in v && typeof v.toDouble === 'function') return Number(v.toDouble());
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

export async function customSql(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  const param = rule.params[0]!;
  const tables = ['primary', ...ctx.session.references.keys()];
  const guarded = await guardCustomSql(param.value, tables, ctx.session.parse);
  if (isSqlProblem(guarded)) {
    ctx.fail({ code: guarded.code, message: guarded.message, pos: spanInParam(param, guarded.offset) });
    return undefined;
  }
  const bind = await ctx.session.bindError(guarded.sql);
  if (bind !== undefined) {
    const missing = /Referenced column "([^"]+)" not found/.exec(bind);
    ctx.fail({
      code: missing !== null ? 'dq.column-not-found' : 'dq.invalid-sql',
      message: `the CustomSql statement: ${bind.split('\n')[0] ?? bind}`,
      pos: param.pos,
    });
    return undefined;
  }
  if (rule.condition?.kind === 'number') {
    const resolved = resolveCondition(rule.condition, historyKey(METRIC, rule), ctx);
    const slot = ctx.plan.query(`SELECT * FROM (${guarded.sql}) LIMIT 2`);
    return {
      finish: (v: Values): Verdict => {
        const err = v.error(slot);
        if (err !== undefined) return errorVerdict(`Error executing SQL statement: ${err}`);
        const rows = v.rows(slot);
        const row = rows?.rows[0];
        if (rows === undefined || rows.rows.length !== 1 || rows.columns.length !== 1 || row === undefined) {
          return errorVerdict('CustomSql with a condition must return exactly one row with one numeric column');
        }
        const value = toNumber(row[rows.columns[0]!]);
        if (value === undefined) return errorVerdict('CustomSql with a condition must return a number');
        return judge(rule, METRIC, value, resolved);
      },
    };
  }
  return rowLevelCustomSql(rule, ctx, guarded.sql);
}

async function rowLevelCustomSql(rule: SimpleRule, ctx: RuleContext, sql: string): Promise<CompiledRule | undefined> {
  const described = await ctx.session.rows(`DESCRIBE ${sql}`);
  const names = described.map((r) => String(r['column_name']));
  const own = new Map(ctx.session.columns.map((c) => [c.name.toLowerCase(), c] as const));
  const extra = names.filter((n) => !own.has(n.toLowerCase()));
  if (names.length === 0 || extra.length === names.length) {
    const message = 'The output from CustomSQL must contain at least one column that matches the input dataset. Ensure that matching columns are returned from the SQL.';
    return { finish: () => errorVerdict(message) };
  }
  if (extra.length > 0) {
    const message = `The columns returned from the SQL statement should only belong to the primary table. Columns not found: ${extra.join(', ')}`;
    return { finish: () => errorVerdict(message) };
  }
  const match = names.map((n) => `__dq_s.${ident(n)} IS NOT DISTINCT FROM __dq_p.${ident(own.get(n.toLowerCase())!.name)}`).join(' AND ');
  const flag = `EXISTS (SELECT 1 FROM (${sql}) AS __dq_s WHERE ${match})`;
  return complianceQuery(rule, ctx, {
    metric: `${METRIC}.Compliance`,
    flag,
    onEmpty: 'Custom SQL rule could not be evaluated due to data frame being empty',
  });
}
