/**
 * The checks the evaluator makes of a ruleset before it reads any data, as one function of
 * the ruleset: where clauses and CustomSql statements through the SQL guard, regular
 * expressions as RE2 compiles them, dynamic operands (`last(k)` and friends). `evaluate`
 * runs them on every rule first (a rule they refuse is ERROR and never compiled);
 * `dagwright dq lint`, the spec checks of `dq_check` tasks and the dq service run them
 * without data, so that what validates also runs.
 *
 * DuckDB (its parser and binder, on an empty database) is loaded only when a rule has SQL
 * or a regular expression: this module imports nothing of it.
 */
import type { Rule, Ruleset, SimpleRule, Span } from '../ast.js';
import { checkRuleOperands } from './engine/dynamic.js';
import { invalidWhereMessage } from './engine/rule-context.js';
import { openSqlBinder, type SqlBinder } from './engine/sql-binder.js';
import { spanInLiteral, spanInParam } from './rules/positions.js';
import { matchPattern } from './rules/predicates.js';
import { guardCustomSql, guardWhere, isSqlProblem } from './sql/guard.js';
import { str } from './sql/quote.js';
import type { EvalError } from './types.js';

/** A problem found without data: always placed in the ruleset text. */
export type StaticProblem = EvalError & { readonly pos: Span };

export interface StaticCheckOptions {
  /**
   * The reference datasets' aliases, which CustomSql may read besides `primary`. Not given:
   * not known yet, so any table name without a schema may be one.
   */
  readonly references?: readonly string[];
}

/** DuckDB's binder, opened on first use. */
type LazyBinder = () => Promise<SqlBinder>;

const firstLine = (message: string) => message.split('\n')[0] ?? message;

/** Whether RE2 (DuckDB's `fn`, with the pattern a constant) compiles `pattern`: its error, or undefined. */
async function regexError(binder: LazyBinder, fn: string, pattern: string): Promise<string | undefined> {
  const error = await (await binder()).bindError(`SELECT ${fn}('', ${str(pattern)})`);
  return error === undefined ? undefined : firstLine(error);
}

/** The problems of one rule (not a composite) that do not depend on the data, in source order. */
export async function checkRuleStatically(rule: SimpleRule, binder: LazyBinder, options: StaticCheckOptions = {}): Promise<StaticProblem[]> {
  const problems: StaticProblem[] = checkRuleOperands(rule).map((p) => ({ ...p, pos: p.pos ?? rule.pos }));
  if (rule.where !== undefined) {
    const lit = rule.where;
    const guarded = await guardWhere(lit.value, (await binder()).parse);
    if (isSqlProblem(guarded)) problems.push({ code: guarded.code, message: invalidWhereMessage(rule, guarded.message), pos: spanInLiteral(lit, guarded.offset) });
  }
  const param = rule.params[0];
  if (rule.ruleType === 'CustomSql' && param !== undefined) {
    const tables = options.references === undefined ? undefined : ['primary', ...options.references];
    const guarded = await guardCustomSql(param.value, tables, (await binder()).parse);
    if (isSqlProblem(guarded)) problems.push({ code: guarded.code, message: guarded.message, pos: spanInParam(param, guarded.offset) });
  }
  if (rule.ruleType === 'ColumnNamesMatchPattern' && param !== undefined) {
    const error = await regexError(binder, 'regexp_matches', param.value);
    if (error !== undefined) problems.push({ code: 'dq.invalid-ruleset', message: `Invalid regex pattern '${param.value}' for ColumnNamesMatchPattern rule: ${error}`, pos: param.pos });
  }
  const cond = rule.condition;
  if (rule.ruleType === 'ColumnValues' && cond?.kind === 'string' && (cond.op === 'matches' || cond.op === 'not matches')) {
    const pattern = matchPattern(cond);
    const error = await regexError(binder, 'regexp_full_match', pattern);
    if (error !== undefined) problems.push({ code: 'dq.invalid-ruleset', message: `invalid regular expression "${pattern}": ${error}`, pos: cond.operands[0]?.pos ?? cond.pos });
  }
  return problems.sort((a, b) => a.pos[0] - b.pos[0]);
}

function simpleRules(rules: readonly Rule[]): SimpleRule[] {
  return rules.flatMap((r) => (r.kind === 'composite' ? simpleRules(r.rules) : [r]));
}

/**
 * Every problem the evaluator would find in the ruleset before reading data, in source
 * order: what `evaluate` would make an ERROR whatever the data. Opens (and closes) a DuckDB
 * of its own only when a rule needs its parser or binder.
 */
export async function checkRulesetStatically(ruleset: Ruleset, options: StaticCheckOptions = {}): Promise<StaticProblem[]> {
  let opened: Promise<SqlBinder & { close(): void }> | undefined;
  const binder: LazyBinder = () => (opened ??= openSqlBinder());
  try {
    const problems: StaticProblem[] = [];
    for (const rule of simpleRules(ruleset.rules)) problems.push(...(await checkRuleStatically(rule, binder, options)));
    return problems;
  } finally {
    if (opened !== undefined) (await opened).close();
  }
}
