/**
 * The rule-type catalogue (`rules-config.json`, copied from awslabs/dqdl), as typed data.
 * Rule types are looked up by name and parameter count, as upstream does.
 */
import raw from './rules-config.json' with { type: 'json' };
import type { ConditionKind } from './ast.js';

export type ReturnType =
  | 'BOOLEAN'
  | 'NUMBER'
  | 'NUMBER_ARRAY'
  | 'STRING'
  | 'STRING_ARRAY'
  | 'DATE'
  | 'DATE_ARRAY'
  | 'DURATION'
  | 'DURATION_ARRAY'
  | 'SIZE'
  | 'SIZE_ARRAY';

export interface ParamSpec {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  /** Only ever on the last parameter: it may repeat, at least once. */
  readonly varArg: boolean;
}

export interface RuleTypeSpec {
  readonly name: string;
  readonly description: string;
  readonly parameters: readonly ParamSpec[];
  /** Alternatives, in catalogue order (`STRING_ARRAY|NUMBER_ARRAY|DATE_ARRAY`). */
  readonly returnTypes: readonly ReturnType[];
  readonly whereSupported: boolean;
  readonly thresholdSupported: boolean;
  readonly excludedAtRowLevelInComposite: boolean;
  readonly analyzerOnly: boolean;
  readonly scope: 'table' | 'column' | 'file';
  readonly experimental: boolean;
}

interface RawParam {
  type: string;
  name: string;
  description: string;
  is_var_arg?: boolean;
}
interface RawRuleType {
  rule_type_name: string;
  description: string;
  parameters: RawParam[];
  return_type: string;
  is_where_clause_supported?: boolean;
  is_threshold_supported?: boolean;
  is_excluded_at_row_level_in_composite_rules?: boolean;
  is_analyzer_only?: boolean;
  scope: string;
  experimental?: boolean;
}

function toSpec(r: RawRuleType): RuleTypeSpec {
  return {
    name: r.rule_type_name,
    description: r.description,
    parameters: r.parameters.map((p) => ({
      name: p.name,
      type: p.type,
      description: p.description,
      varArg: p.is_var_arg === true,
    })),
    returnTypes: r.return_type.split('|') as ReturnType[],
    whereSupported: r.is_where_clause_supported === true,
    thresholdSupported: r.is_threshold_supported === true,
    excludedAtRowLevelInComposite: r.is_excluded_at_row_level_in_composite_rules === true,
    analyzerOnly: r.is_analyzer_only === true,
    scope: r.scope as RuleTypeSpec['scope'],
    experimental: r.experimental === true,
  };
}

/** Every rule type, in catalogue order (a name can have several arities). */
export const RULE_TYPES: readonly RuleTypeSpec[] = (raw as { rule_types: RawRuleType[] }).rule_types.map(toSpec);

function acceptsArity(spec: RuleTypeSpec, count: number): boolean {
  const last = spec.parameters[spec.parameters.length - 1];
  return last?.varArg === true ? count >= spec.parameters.length : count === spec.parameters.length;
}

/** The first catalogue entry with this exact (case-sensitive) name taking `paramCount` parameters. */
export function findRuleType(name: string, paramCount: number): RuleTypeSpec | undefined {
  return RULE_TYPES.find((spec) => spec.name === name && acceptsArity(spec, paramCount));
}

/** All catalogue entries with this name, whatever their arity. */
export function ruleTypeVariants(name: string): readonly RuleTypeSpec[] {
  return RULE_TYPES.filter((spec) => spec.name === name);
}

/** The condition kind a return type takes, or undefined for BOOLEAN (no condition). */
export function conditionKindFor(returnType: ReturnType): ConditionKind | undefined {
  switch (returnType) {
    case 'BOOLEAN':
      return undefined;
    case 'NUMBER':
    case 'NUMBER_ARRAY':
      return 'number';
    case 'STRING':
    case 'STRING_ARRAY':
      return 'string';
    case 'DATE':
    case 'DATE_ARRAY':
      return 'date';
    case 'DURATION':
    case 'DURATION_ARRAY':
      return 'duration';
    case 'SIZE':
    case 'SIZE_ARRAY':
      return 'size';
  }
}

/** Human description of the accepted arities, e.g. "1", "2 or 3", "at least 1". */
export function describeArity(name: string): string {
  const parts = ruleTypeVariants(name).map((spec) => {
    const n = spec.parameters.length;
    return spec.parameters[n - 1]?.varArg === true ? `at least ${n}` : String(n);
  });
  const unique = [...new Set(parts)];
  return unique.length <= 1 ? (unique[0] ?? '0') : `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}
