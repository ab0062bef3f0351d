/**
 * Evaluates a parsed ruleset on a dataset with DuckDB:
 * 1. open the data (primary, and reference datasets by alias) and lock the database down;
 * 2. check every rule as `checkRulesetStatically` does (unsafe or invalid SQL, a regular
 *    expression RE2 cannot compile, a misused dynamic function), then compile the rules and
 *    analyzers into one scan plan; a rule with a problem or a binding error (an unknown
 *    column, a missing reference dataset, SQL that does not bind) becomes ERROR with the
 *    error as its message and problem, and adds nothing to the plan, as AWS Glue fails
 *    only that rule;
 * 3. run the plan (one aggregate pass, one grouped pass per column set, own queries for
 *    CustomSql and reference datasets);
 * 4. judge each rule (PASS, FAIL or ERROR with a message), combine composites, score;
 * 5. optionally write row-level results (passed rows, failed rows with Glue's columns).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Rule, Ruleset } from '../ast.js';
import { effectiveLabels } from '../labels.js';
import { printRule } from '../printer.js';
import { analyzerResult, compileAnalyzer, erroredAnalyzer, type CompiledAnalyzer } from './engine/analyzers.js';
import { finishNode, nodeFlag, type NodeVerdict, type RuleNode } from './engine/composite.js';
import { execute } from './engine/execute.js';
import { Plan, type PlanSummary, type Slot } from './engine/plan.js';
import { writeRowLevel, type RowLevelCounts, type RowLevelTarget } from './engine/row-level.js';
import { createRuleContext } from './engine/rule-context.js';
import { Session } from './engine/session.js';
import type { CompiledRule, RuleContext } from './rules/context.js';
import { compileRule } from './rules/index.js';
import { errorVerdict } from './rules/verdicts.js';
import { checkRuleStatically } from './static-check.js';
import { NO_HISTORY, type DataInput, type EvalError, type Evaluation, type Metrics, type MetricHistory, type RuleResult } from './types.js';

export interface EvaluateOptions {
  readonly ruleset: Ruleset;
  readonly data: DataInput;
  /** Reference datasets by alias (ReferentialIntegrity, DatasetMatch, ...). */
  readonly references?: Readonly<Record<string, DataInput>>;
  /** Earlier values of metrics, for dynamic rules. */
  readonly history?: MetricHistory;
  /** "Now" for dates and freshness; the current time by default. */
  readonly now?: Date;
  /** Row-level output files (Parquet). */
  readonly rowLevel?: RowLevelTarget;
  /** A scratch directory; a temporary one (removed afterwards) by default. */
  readonly workDir?: string;
  readonly threads?: number;
  readonly memoryLimit?: string;
  /** The most DuckDB's spill files may hold (`max_temp_directory_size`), e.g. `10GiB`; past it, a query fails. */
  readonly spillLimit?: string;
}

export interface EvaluateResult {
  /**
   * Present exactly when there are no errors. A rule's binding problems are not errors
   * here: they are that rule's ERROR result (`RuleResult.problems`).
   */
  readonly evaluation?: Evaluation;
  readonly rowLevel?: RowLevelCounts;
  /** What was scanned, when the evaluation ran. */
  readonly plan?: PlanSummary;
  /** Why there is no evaluation: the data could not be opened or read. */
  readonly errors: readonly EvalError[];
}

async function compileNode(rule: Rule, ctx: RuleContext, plan: Plan): Promise<RuleNode> {
  if (rule.kind === 'composite') {
    const members: RuleNode[] = [];
    for (const m of rule.rules) members.push(await compileNode(m, ctx, plan));
    return { kind: 'composite', rule, members };
  }
  const early = await checkRuleStatically(rule, async () => ctx.session, { references: [...ctx.session.references.keys()] });
  if (early.length > 0) return { kind: 'rule', rule, compiled: errored(early), problems: early };
  const slots: Slot[] = [];
  const { value: compiled, problems } = await isolated(ctx, plan, () => compileRule(rule, { ...ctx, plan: plan.tracked(slots) }));
  if (compiled === undefined || problems.length > 0) return { kind: 'rule', rule, compiled: errored(problems), problems };
  return { kind: 'rule', rule, compiled: failingOnErrors(compiled, slots) };
}

/**
 * Compiles one rule or analyzer: the binding errors it records are its own, and when there
 * are any, what it asked of the plan is rolled back, so none of its SQL ever runs.
 */
async function isolated<T>(ctx: RuleContext, plan: Plan, compile: () => Promise<T>): Promise<{ value: T; problems: EvalError[] }> {
  const mark = ctx.errors.length;
  const savepoint = plan.savepoint();
  const value = await compile();
  const problems = ctx.errors.splice(mark);
  if (problems.length > 0) plan.rollback(savepoint);
  return { value, problems };
}

/** A rule that could not be bound to the data: ERROR, with its problems as the message. */
function errored(problems: readonly EvalError[]): CompiledRule {
  const message = problems.length > 0 ? problems.map((p) => p.message).join('\n') : 'the rule could not be compiled';
  return { finish: () => errorVerdict(message) };
}

/** Every binding problem of a rule and its members, in order. */
function problemsOf(node: RuleNode): EvalError[] {
  return node.kind === 'rule' ? [...(node.problems ?? [])] : node.members.flatMap(problemsOf);
}

/** A rule whose values could not be computed (the expression failed at run time) is an ERROR. */
function failingOnErrors(compiled: CompiledRule, slots: readonly Slot[]): CompiledRule {
  return {
    ...compiled,
    finish: (values) => {
      const error = slots.map((s) => values.error(s)).find((e) => e !== undefined);
      return error === undefined ? compiled.finish(values) : { outcome: 'ERROR', message: `Exception thrown while evaluating rule: ${error}`, metrics: {} };
    },
  };
}

const byPosition = (a: EvalError, b: EvalError) => (a.pos?.[0] ?? -1) - (b.pos?.[0] ?? -1);

/** Errors DuckDB raises while scanning a file that opened fine (a corrupt Parquet page, ...). */
function asDataError(err: unknown): EvalError | undefined {
  const message = String((err as Error).message ?? err);
  if (!/parquet|csv|json|invalid unicode|conversion error/i.test(message)) return undefined;
  return { code: 'dq.invalid-data', message: `the data could not be read: ${message.split('\n')[0] ?? message}` };
}

export async function evaluate(options: EvaluateOptions): Promise<EvaluateResult> {
  const ownDir = options.workDir === undefined;
  const workDir = options.workDir ?? mkdtempSync(path.join(tmpdir(), 'dagwright-dq-'));
  const writeDirs = options.rowLevel === undefined ? [] : [path.dirname(path.resolve(options.rowLevel.passed)), path.dirname(path.resolve(options.rowLevel.failed))];
  try {
    const opened = await Session.open({
      primary: options.data,
      ...(options.references !== undefined ? { references: options.references } : {}),
      workDir,
      writeDirs,
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.memoryLimit !== undefined ? { memoryLimit: options.memoryLimit } : {}),
      ...(options.spillLimit !== undefined ? { spillLimit: options.spillLimit } : {}),
    });
    if (Array.isArray(opened)) return { errors: opened };
    const session = opened as Session;
    try {
      return await run(session, options);
    } catch (err) {
      const data = asDataError(err);
      if (data !== undefined) return { errors: [data] };
      throw err;
    } finally {
      session.close();
    }
  } finally {
    if (ownDir) rmSync(workDir, { recursive: true, force: true });
  }
}

async function run(session: Session, options: EvaluateOptions): Promise<EvaluateResult> {
  const { ruleset } = options;
  const plan = new Plan();
  const ctx = createRuleContext(session, plan, { now: options.now ?? new Date(), history: options.history ?? NO_HISTORY });
  const nodes: RuleNode[] = [];
  for (const rule of ruleset.rules) nodes.push(await compileNode(rule, ctx, plan));
  const analyzers: Array<{ compiled: CompiledAnalyzer; problems: readonly EvalError[] }> = [];
  for (const a of ruleset.analyzers) {
    const { value, problems } = await isolated(ctx, plan, () => compileAnalyzer(a, ctx));
    analyzers.push({ compiled: problems.length > 0 ? erroredAnalyzer(a, problems) : value, problems });
  }
  const rowCountSlot = plan.aggregate('count(*)');

  const values = await execute(session, plan);
  const verdicts: NodeVerdict[] = nodes.map((n) => finishNode(n, values));
  const history: Metrics = {};
  const rules: RuleResult[] = ruleset.rules.map((rule, i) => {
    const v = verdicts[i]!;
    Object.assign(history, v.verdict.history ?? {});
    const problems = problemsOf(nodes[i]!).sort(byPosition);
    return {
      name: `Rule_${i}`,
      rule: printRule(rule),
      evaluatedRule: printRule(v.evaluated),
      result: v.verdict.outcome,
      ...(v.verdict.message !== undefined ? { message: v.verdict.message } : {}),
      metrics: v.verdict.metrics,
      labels: Object.fromEntries(effectiveLabels(rule, ruleset.defaultLabels)),
      pos: rule.pos,
      ...(problems.length > 0 ? { problems } : {}),
    };
  });
  const analyzerResults = analyzers.map((a, i) => {
    const { history: h, ...result } = analyzerResult(a.compiled, i, values);
    Object.assign(history, h);
    return a.problems.length > 0 ? { ...result, problems: a.problems } : result;
  });
  const passed = rules.filter((r) => r.result === 'PASS').length;
  const rowCount = values.num(rowCountSlot) ?? 0;
  const evaluation: Evaluation = {
    score: rules.length === 0 ? 1 : passed / rules.length,
    rowCount,
    rules,
    analyzers: analyzerResults,
    history,
  };
  if (options.rowLevel === undefined) return { evaluation, plan: plan.summary(), errors: [] };
  const rowRules = ruleset.rules.map((rule, i) => ({ text: printRule(rule), flag: nodeFlag(nodes[i]!, verdicts[i]!) }));
  const rowLevel = session.columns.length === 0 ? { rowsIn: 0, rowsPassed: 0, rowsFailed: 0 } : await writeRowLevel(session, plan, rowRules, options.rowLevel);
  return { evaluation, rowLevel, plan: plan.summary(), errors: [] };
}
