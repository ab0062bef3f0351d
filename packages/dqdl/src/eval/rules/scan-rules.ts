/**
 * The rule types compiled straight to the scans and queries of the plan: every type but
 * DetectAnomalies, which is built on an analyzer (engine/analyzers.ts) and so on these. An
 * analyzer is compiled from them; rules/index.ts adds DetectAnomalies for rules.
 */
import type { SimpleRule } from '../../ast.js';
import { CLOUD_ONLY_RULES } from '../cloud-only.js';
import type { CompiledRule, RuleCompiler, RuleContext } from './context.js';
import { customSql } from './custom-sql.js';
import { columnCount, columnExists, columnNamesMatchPattern, rowCount } from './dataset.js';
import { columnDataType } from './data-type.js';
import { columnLength } from './column-length.js';
import { columnValues } from './column-values.js';
import { dataFreshness } from './freshness.js';
import { distributionRule, isPrimaryKey, isUniqueRule, uniquenessRule } from './grouped.js';
import { aggregateMatch, rowCountMatch, schemaMatch } from './reference-aggregates.js';
import { datasetMatch, referentialIntegrity } from './reference.js';
import { columnCorrelation, completenessRule, isCompleteRule, statisticRule } from './stats.js';
import { errorVerdict } from './verdicts.js';

export const SCAN_RULE_COMPILERS: Readonly<Record<string, RuleCompiler>> = {
  RowCount: rowCount,
  ColumnCount: columnCount,
  ColumnExists: columnExists,
  ColumnNamesMatchPattern: columnNamesMatchPattern,
  Completeness: completenessRule,
  IsComplete: isCompleteRule,
  Mean: statisticRule,
  Sum: statisticRule,
  StandardDeviation: statisticRule,
  Variance: statisticRule,
  ColumnCorrelation: columnCorrelation,
  Uniqueness: uniquenessRule,
  IsUnique: isUniqueRule,
  IsPrimaryKey: isPrimaryKey,
  DistinctValuesCount: distributionRule,
  UniqueValueRatio: distributionRule,
  Entropy: distributionRule,
  ColumnValues: columnValues,
  ColumnLength: columnLength,
  ColumnDataType: columnDataType,
  DataFreshness: dataFreshness,
  CustomSql: customSql,
  ReferentialIntegrity: referentialIntegrity,
  DatasetMatch: datasetMatch,
  SchemaMatch: schemaMatch,
  RowCountMatch: rowCountMatch,
  AggregateMatch: aggregateMatch,
};

/** Compiles a rule with the compiler `compilers` has for its type; a type it lacks gives ERROR with a reason. */
export async function compileWith(compilers: Readonly<Record<string, RuleCompiler>>, rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  const compiler = compilers[rule.ruleType];
  if (compiler !== undefined) return compiler(rule, ctx);
  const reason = CLOUD_ONLY_RULES[rule.ruleType] ?? `${rule.ruleType} is not supported by the local evaluator`;
  return { finish: () => errorVerdict(reason) };
}

export function compileScanRule(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  return compileWith(SCAN_RULE_COMPILERS, rule, ctx);
}
