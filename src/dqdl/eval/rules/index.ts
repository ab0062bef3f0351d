/** Rule type → compiler. Types Glue evaluates only in the cloud give ERROR with a reason. */
import type { SimpleRule } from '../../ast.js';
import type { CompiledRule, RuleCompiler, RuleContext } from './context.js';
import { detectAnomalies } from './anomalies.js';
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
import { CLOUD_ONLY_RULES } from '../cloud-only.js';

export const COMPILERS: Readonly<Record<string, RuleCompiler>> = {
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
  DetectAnomalies: detectAnomalies,
};

export async function compileRule(rule: SimpleRule, ctx: RuleContext): Promise<CompiledRule | undefined> {
  const compiler = COMPILERS[rule.ruleType];
  if (compiler !== undefined) return compiler(rule, ctx);
  const reason = CLOUD_ONLY_RULES[rule.ruleType] ?? `${rule.ruleType} is not supported by the local evaluator`;
  return { finish: () => errorVerdict(reason) };
}
