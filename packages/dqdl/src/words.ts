/**
 * Words with a fixed meaning. Upstream they are distinct tokens, so none of them can be a
 * rule type, a bare parameter, a tag name or a variable name. `and`/`or`/`of`, the
 * keywords and `NULL` take lower or upper case; everything else is case-sensitive.
 */
import type { DurationUnit, Keyword, SizeUnit } from './ast.js';

export const SECTION_NAMES = ['Metadata', 'DataSources', 'DefaultLabels', 'Rules', 'Analyzers'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export const DURATION_UNITS: readonly DurationUnit[] = ['days', 'hours', 'minutes'];
export const SIZE_UNITS: readonly SizeUnit[] = ['B', 'KB', 'MB', 'GB', 'TB'];

const KEYWORDS: ReadonlyMap<string, Keyword> = new Map([
  ['NULL', 'NULL'],
  ['null', 'NULL'],
  ['EMPTY', 'EMPTY'],
  ['empty', 'EMPTY'],
  ['WHITESPACES_ONLY', 'WHITESPACES_ONLY'],
  ['whitespaces_only', 'WHITESPACES_ONLY'],
]);

const RESERVED = new Set<string>([
  'and',
  'AND',
  'or',
  'OR',
  'of',
  'OF',
  'between',
  'in',
  'not',
  'matches',
  'with',
  'where',
  'labels',
  ...KEYWORDS.keys(),
  ...DURATION_UNITS,
  ...SIZE_UNITS,
  ...SECTION_NAMES,
]);

export function isReserved(word: string): boolean {
  return RESERVED.has(word);
}

export function keywordOf(word: string): Keyword | undefined {
  return KEYWORDS.get(word);
}

export function isAnd(word: string): boolean {
  return word === 'and' || word === 'AND';
}

export function isOr(word: string): boolean {
  return word === 'or' || word === 'OR';
}

export function isOf(word: string): boolean {
  return word === 'of' || word === 'OF';
}

export function isDurationUnit(word: string): word is DurationUnit {
  return (DURATION_UNITS as readonly string[]).includes(word);
}

export function isSizeUnit(word: string): word is SizeUnit {
  return (SIZE_UNITS as readonly string[]).includes(word);
}

export function isSectionName(word: string): word is SectionName {
  return (SECTION_NAMES as readonly string[]).includes(word);
}
