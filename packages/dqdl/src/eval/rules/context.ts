/**
 * What a rule compiler gets (the plan to ask values from, the dataset's columns, guarded
 * where clauses) and what it gives back: a `CompiledRule` that turns the executed values
 * into a verdict, and maybe a row-level flag.
 */
import type { Param, SimpleRule, Span } from '../../ast.js';
import type { Values } from '../engine/execute.js';
import type { PlanBuilder } from '../engine/plan.js';
import type { Column, Session } from '../engine/session.js';
import type { EvalError, Metrics, MetricHistory, Outcome } from '../types.js';

export interface Verdict {
  readonly outcome: Outcome;
  readonly message?: string;
  readonly metrics: Metrics;
  /** Values to keep for dynamic rules, by history key. */
  readonly history?: Metrics;
  /** The rule with its dynamic operands replaced by their values. */
  readonly evaluated?: SimpleRule;
}

export interface CompiledRule {
  finish(values: Values): Verdict;
  /** SQL that is TRUE when a row passes this rule; absent for dataset-level rules. */
  readonly rowFlag?: string;
}

export interface RuleContext {
  readonly plan: PlanBuilder;
  readonly session: Session;
  readonly now: Date;
  readonly history: MetricHistory;
  /**
   * Binding errors. Each makes the rule (or analyzer) being compiled ERROR, with these
   * errors as its problems; nothing it asked of the plan is scanned. Other rules run.
   */
  readonly errors: EvalError[];
  /** The dataset column a parameter names (case-insensitive), or records dq.column-not-found. */
  column(param: Param): Column | undefined;
  /** A column by name, no error recorded. */
  findColumn(name: string, columns?: readonly Column[]): Column | undefined;
  /**
   * The rule's where clause as guarded DuckDB SQL; `undefined` without one, `null` when it
   * was refused (the error is recorded).
   */
  where(rule: SimpleRule): Promise<string | undefined | null>;
  /** Records a binding error. */
  fail(error: EvalError): void;
}

export type RuleCompiler = (rule: SimpleRule, ctx: RuleContext) => Promise<CompiledRule | undefined> | CompiledRule | undefined;

/** Where a parameter is, for errors. */
export const at = (p: { pos: Span }): Span => p.pos;
