/**
 * The DQDL evaluator on DuckDB.
 *
 *   const { ruleset } = parseRuleset(text);
 *   const { evaluation, errors } = await evaluate({ ruleset, data: { files: ['orders.parquet'] } });
 */
export { evaluate, type EvaluateOptions, type EvaluateResult } from './evaluate.js';
export type { RowLevelCounts, RowLevelTarget } from './engine/row-level.js';
export type { PlanSummary } from './engine/plan.js';
export { toGlueResult, type GlueResult } from './glue-json.js';
export * from './types.js';
