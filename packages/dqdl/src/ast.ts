/**
 * The typed model of a DQDL document. Every node carries `pos`, its [start, end) offsets
 * in the source text. The model is plain data: print it with `printer.ts`.
 */
import type { Span } from './diagnostics.js';

export type { Span };

// ---------------------------------------------------------------------------- literals

/** A double-quoted string. `raw` is what was written between the quotes. */
export interface StringLit {
  readonly raw: string;
  /** `raw` with the escapes `\"` and `\\` resolved; other backslashes kept. */
  readonly value: string;
  readonly pos: Span;
}

export type Keyword = 'NULL' | 'EMPTY' | 'WHITESPACES_ONLY';

export type DurationUnit = 'days' | 'hours' | 'minutes';
export interface Duration {
  readonly amount: number;
  readonly unit: DurationUnit;
  readonly pos: Span;
}

export type SizeUnit = 'B' | 'KB' | 'MB' | 'GB' | 'TB';
export interface Size {
  readonly amount: number;
  /** Absent when written as a bare number of bytes (`FileSize > 1024`). */
  readonly unit?: SizeUnit;
  /** The size in bytes; units step by 1024. */
  readonly bytes: number;
  readonly pos: Span;
}

// ------------------------------------------------------------------------- expressions

export type ArithmeticOp = '+' | '-' | '*' | '/';

/**
 * Numeric expressions. As in the upstream grammar, `+ - * /` share one precedence level
 * and associate to the left (`1 + 2 * 3` is `(1 + 2) * 3`); parentheses group.
 * Function names are not checked by the parser: `avg(last(10))`, `index(last(3), 0)`.
 */
export type NumExpr =
  | { readonly kind: 'number'; readonly text: string; readonly value: number; readonly pos: Span }
  | { readonly kind: 'null'; readonly pos: Span }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly NumExpr[]; readonly pos: Span }
  | {
      readonly kind: 'binary';
      readonly op: ArithmeticOp;
      readonly left: NumExpr;
      readonly right: NumExpr;
      /** Written inside parentheses; kept so printing gives the same grouping back. */
      readonly parenthesized: boolean;
      readonly pos: Span;
    };

export type DateExpr =
  /** `"YYYY-MM-DD"` */
  | { readonly kind: 'date'; readonly text: string; readonly pos: Span }
  /** `"9:30 AM"` (12-hour) or `"21:45"` (24-hour); evaluated today in the `timeZone` tag, default UTC. */
  | {
      readonly kind: 'time';
      readonly text: string;
      readonly hour: number;
      readonly minute: number;
      readonly pos: Span;
    }
  | { readonly kind: 'now'; readonly pos: Span }
  | { readonly kind: 'now-offset'; readonly op: '+' | '-'; readonly duration: Duration; readonly pos: Span }
  | { readonly kind: 'null'; readonly pos: Span };

export type StringOperand =
  | { readonly kind: 'string'; readonly lit: StringLit; readonly pos: Span }
  | { readonly kind: 'keyword'; readonly keyword: Keyword; readonly pos: Span }
  /** `$name`; `values` is the resolved variable (one value for a string, several for an array). */
  | { readonly kind: 'variable'; readonly name: string; readonly values: readonly string[]; readonly pos: Span };

// -------------------------------------------------------------------------- conditions

export type CompareOp = '=' | '!=' | '>' | '>=' | '<' | '<=';
export type RangeOp = 'between' | 'not between';
export type SetOp = 'in' | 'not in';
export type MatchOp = 'matches' | 'not matches';
export type OrderedOp = CompareOp | RangeOp | SetOp;

/** `between` has two operands (exclusive bounds); set operators any number; others one. */
export interface NumberCondition {
  readonly kind: 'number';
  readonly op: OrderedOp;
  readonly operands: readonly NumExpr[];
  readonly pos: Span;
}
export interface StringCondition {
  readonly kind: 'string';
  readonly op: '=' | '!=' | SetOp | MatchOp;
  readonly operands: readonly StringOperand[];
  readonly pos: Span;
}
export interface DateCondition {
  readonly kind: 'date';
  readonly op: OrderedOp;
  readonly operands: readonly DateExpr[];
  readonly pos: Span;
}
export interface DurationCondition {
  readonly kind: 'duration';
  readonly op: OrderedOp;
  readonly operands: readonly Duration[];
  readonly pos: Span;
}
export interface SizeCondition {
  readonly kind: 'size';
  readonly op: OrderedOp;
  readonly operands: readonly Size[];
  readonly pos: Span;
}
export type Condition = NumberCondition | StringCondition | DateCondition | DurationCondition | SizeCondition;
export type ConditionKind = Condition['kind'];

// ------------------------------------------------------------------------------- rules

export type Connector = 'of' | 'and';

/** A rule parameter: `"col"`, `col` or `$var`, maybe after `of` / `and`. */
export interface Param {
  readonly kind: 'quoted' | 'bare' | 'variable';
  readonly connector?: Connector;
  /** As written: string content between quotes, the bare word, or the variable name. */
  readonly text: string;
  /** The value used for evaluation: unescaped string, the word, or the variable's value. */
  readonly value: string;
  readonly pos: Span;
}

/** `with <name> = <value>` (any tag but `threshold`). */
export interface Tag {
  readonly name: string;
  readonly value: { readonly kind: 'string'; readonly lit: StringLit } | { readonly kind: 'number'; readonly expr: NumExpr };
  readonly pos: Span;
}

/** `with threshold <numeric condition>`. */
export interface Threshold {
  readonly condition: NumberCondition;
  readonly pos: Span;
}

export interface Label {
  readonly key: StringLit;
  readonly value: StringLit;
  readonly pos: Span;
}

export interface SimpleRule {
  readonly kind: 'rule';
  readonly ruleType: string;
  readonly typePos: Span;
  readonly params: readonly Param[];
  readonly condition?: Condition;
  readonly where?: StringLit;
  readonly threshold?: Threshold;
  readonly tags: readonly Tag[];
  /** The rule's own labels; see `effectiveLabels` for the merge with `DefaultLabels`. */
  readonly labels: readonly Label[];
  readonly pos: Span;
}

/** `(A) and (B) and ...` / `(A) or (B) or ...`; chains of one operator are flattened. */
export interface CompositeRule {
  readonly kind: 'composite';
  readonly op: 'and' | 'or';
  readonly rules: readonly Rule[];
  readonly labels: readonly Label[];
  readonly pos: Span;
}

export type Rule = SimpleRule | CompositeRule;

export interface Analyzer {
  readonly kind: 'analyzer';
  readonly analyzerType: string;
  readonly typePos: Span;
  readonly params: readonly Param[];
  readonly pos: Span;
}

// ---------------------------------------------------------------------------- document

export interface Metadata {
  readonly version?: string;
  readonly pos: Span;
}

export interface DataSources {
  readonly primary?: string;
  readonly additional?: readonly string[];
  readonly pos: Span;
}

export interface Variable {
  readonly name: string;
  readonly value:
    | { readonly kind: 'string'; readonly lit: StringLit }
    | { readonly kind: 'array'; readonly items: readonly StringLit[] };
  readonly pos: Span;
}

export interface Ruleset {
  readonly metadata?: Metadata;
  readonly dataSources?: DataSources;
  readonly variables: readonly Variable[];
  readonly defaultLabels: readonly Label[];
  readonly rules: readonly Rule[];
  readonly analyzers: readonly Analyzer[];
}
