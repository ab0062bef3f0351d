/** The `RuleContext` of one evaluation: column lookup and guarded where clauses. */
import type { Param, SimpleRule } from '../../ast.js';
import { printRule } from '../../printer.js';
import type { RuleContext } from '../rules/context.js';
import { spanInLiteral } from '../rules/positions.js';
import { guardWhere, isSqlProblem } from '../sql/guard.js';
import type { EvalError, MetricHistory } from '../types.js';
import type { PlanBuilder } from './plan.js';
import type { Column, Session } from './session.js';

function suggestion(name: string, columns: readonly Column[]): string {
  const lower = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const close = columns.filter((c) => c.name.toLowerCase().replace(/[^a-z0-9]/g, '') === lower).map((c) => c.name);
  if (close.length > 0) return ` (did you mean ${close.join(' or ')}?)`;
  const shown = columns.slice(0, 12).map((c) => c.name);
  return columns.length === 0 ? ' (it has no columns)' : ` (columns: ${shown.join(', ')}${columns.length > shown.length ? ', ...' : ''})`;
}

/**
 * Glue's message for a where clause it cannot use: `Rule <rule> where "<sql>" has provided
 * an invalid where clause : <error>` (the rule up to its condition, without the clause).
 */
export function invalidWhereMessage(rule: SimpleRule, error: string): string {
  const head = printRule({ kind: 'rule', ruleType: rule.ruleType, typePos: rule.typePos, params: rule.params, ...(rule.condition !== undefined ? { condition: rule.condition } : {}), tags: [], labels: [], pos: rule.pos });
  return `Rule ${head} where "${rule.where?.value ?? ''}" has provided an invalid where clause : ${error}`;
}

export function createRuleContext(session: Session, plan: PlanBuilder, options: { now: Date; history: MetricHistory }): RuleContext {
  const errors: EvalError[] = [];
  const whereCache = new Map<string, string>();
  const findColumn = (name: string, columns: readonly Column[] = session.columns): Column | undefined =>
    columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  const fail = (e: EvalError) => void errors.push(e);
  return {
    plan,
    session,
    now: options.now,
    history: options.history,
    errors,
    fail,
    findColumn,
    column(param: Param) {
      const c = findColumn(param.value);
      if (c === undefined) fail({ code: 'dq.column-not-found', message: `the dataset has no column "${param.value}"${suggestion(param.value, session.columns)}`, pos: param.pos });
      return c;
    },
    async where(rule: SimpleRule) {
      const lit = rule.where;
      if (lit === undefined) return undefined;
      const cached = whereCache.get(lit.value);
      if (cached !== undefined) return cached;
      const guarded = await guardWhere(lit.value, session.parse);
      if (isSqlProblem(guarded)) {
        fail({ code: guarded.code, message: invalidWhereMessage(rule, guarded.message), pos: spanInLiteral(lit, guarded.offset) });
        return null;
      }
      const bind = await session.bindError(`SELECT count(*) FROM "primary" WHERE (${guarded.sql})`);
      if (bind !== undefined) {
        const missing = /Referenced column "([^"]+)" not found/.exec(bind);
        const first = bind.split('\n')[0] ?? bind;
        fail(
          missing !== null
            ? { code: 'dq.column-not-found', message: invalidWhereMessage(rule, `the dataset has no column "${missing[1]}"${suggestion(missing[1]!, session.columns)}`), pos: lit.pos }
            : { code: 'dq.invalid-sql', message: invalidWhereMessage(rule, first), pos: lit.pos },
        );
        return null;
      }
      const sql = `(${guarded.sql})`;
      whereCache.set(lit.value, sql);
      return sql;
    },
  };
}
