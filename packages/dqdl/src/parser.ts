/**
 * The document: `Metadata? DataSources? variable* DefaultLabels? (Rules | Analyzers | Rules Analyzers)`.
 * Syntax errors are collected: a broken rule is skipped up to the next `,` or `]`, a
 * broken section up to the next section, and parsing goes on.
 */
import type { Analyzer, DataSources, Label, Metadata, Rule, Ruleset, Variable } from './ast.js';
import { Cursor, span } from './cursor.js';
import type { DqdlDiagnostic } from './diagnostics.js';
import { lex, type Token } from './lexer.js';
import { parseAnalyzer, parseLabelList, parseRule, type RuleScope } from './parse-rule.js';
import { parseDataSources, parseMetadata, parseVariable } from './parse-sections.js';
import { isSectionName, type SectionName } from './words.js';

type Part = SectionName | 'variable';
const RANK: Readonly<Record<Part, number>> = { Metadata: 0, DataSources: 1, variable: 2, DefaultLabels: 3, Rules: 4, Analyzers: 5 };

export interface ParsedDocument {
  /** Everything that parsed; broken rules are left out. */
  readonly ruleset: Ruleset;
  readonly diagnostics: readonly DqdlDiagnostic[];
}

const OPENERS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

function startsSection(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  const n = tokens[i + 1];
  return t?.kind === 'word' && isSectionName(t.text) && n?.kind === 'punct' && n.text === '=';
}

/**
 * After a broken entry: from the entry's first token, skip to the `,` or `]` that ends it
 * (brackets balanced), never stopping before `failedAt`. Stops early at a section start.
 */
function skipEntry(c: Cursor, tokens: readonly Token[], entryStart: number, failedAt: number): void {
  const stack: string[] = [];
  let i = entryStart;
  for (; i < tokens.length - 1; i++) {
    const t = tokens[i] as Token;
    const past = i >= failedAt;
    if (past && startsSection(tokens, i)) break;
    if (t.kind !== 'punct') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(t.text);
    else if (t.text === ',' && stack.length === 0 && past) break;
    else if (OPENERS[t.text] !== undefined) {
      if (stack[stack.length - 1] === OPENERS[t.text]) stack.pop();
      else if (t.text === ']' && past) break;
    }
  }
  c.position = i;
}

/** `[ entry, entry, ... ]`; the cursor is after `=`. Returns the entries that parsed. */
function parseList<T>(c: Cursor, tokens: readonly Token[], entry: () => T | undefined): { items: T[]; broken: number } | undefined {
  if (c.expectPunct('[') === undefined) return undefined;
  const items: T[] = [];
  let broken = 0;
  if (c.eatPunct(']')) return { items, broken };
  for (;;) {
    const start = c.position;
    const item = entry();
    if (item !== undefined && (c.isPunct(',') || c.isPunct(']'))) {
      items.push(item);
    } else {
      if (item !== undefined) c.fail("',' or ']'");
      broken++;
      skipEntry(c, tokens, start, c.position);
    }
    if (c.eatPunct(',')) continue;
    if (c.eatPunct(']')) return { items, broken };
    const last = c.diagnostics[c.diagnostics.length - 1];
    if (last === undefined || last.pos[0] !== c.peek().start) c.fail("']'");
    return { items, broken };
  }
}

function skipToSection(c: Cursor, tokens: readonly Token[]): void {
  let i = Math.max(c.position, 0);
  while (i < tokens.length - 1 && !startsSection(tokens, i)) i++;
  c.position = i;
}

interface DocumentState {
  metadata?: Metadata;
  dataSources?: DataSources;
  variables: Map<string, Variable>;
  defaultLabels: Label[];
  rules: Rule[];
  analyzers: Analyzer[];
  listed: number;
}

function parsePart(c: Cursor, tokens: readonly Token[], part: Part, state: DocumentState): boolean {
  const start = c.peek().start;
  if (part === 'variable') {
    const variable = parseVariable(c, state.variables);
    if (variable !== undefined && !state.variables.has(variable.name)) state.variables.set(variable.name, variable);
    return variable !== undefined;
  }
  if (part === 'DefaultLabels') {
    const labels = parseLabelList(c);
    if (labels !== undefined) state.defaultLabels = labels;
    return labels !== undefined;
  }
  c.next(); // section name
  c.next(); // '='
  const scope: RuleScope = { variables: state.variables };
  switch (part) {
    case 'Metadata': {
      const metadata = parseMetadata(c, start);
      if (metadata !== undefined) state.metadata = metadata;
      return metadata !== undefined;
    }
    case 'DataSources': {
      const sources = parseDataSources(c, start);
      if (sources !== undefined) state.dataSources = sources;
      return sources !== undefined;
    }
    case 'Rules': {
      const list = parseList(c, tokens, () => parseRule(c, scope));
      if (list !== undefined) state.rules = list.items;
      state.listed += (list?.items.length ?? 0) + (list?.broken ?? 1);
      return list !== undefined;
    }
    case 'Analyzers': {
      const list = parseList(c, tokens, () => parseAnalyzer(c, scope));
      if (list !== undefined) state.analyzers = list.items;
      state.listed += (list?.items.length ?? 0) + (list?.broken ?? 1);
      return list !== undefined;
    }
  }
}

function nextPart(c: Cursor): Part | undefined {
  const t = c.peek();
  if (t.kind !== 'word' || !c.isPunct('=', 1)) return undefined;
  return isSectionName(t.text) ? t.text : 'variable';
}

/** Parses the document structure; rule types are checked later against the catalogue. */
export function parseDocument(text: string): ParsedDocument {
  const { tokens, diagnostics: lexical } = lex(text);
  const c = new Cursor(tokens);
  const state: DocumentState = { variables: new Map(), defaultLabels: [], rules: [], analyzers: [], listed: 0 };
  const seen = new Set<Part>();
  let rank = -1;
  let sawRules = false;

  while (!c.atEnd()) {
    const part = nextPart(c);
    if (part === undefined) {
      c.fail('Rules, Analyzers, Metadata, DataSources, DefaultLabels or a variable');
      c.next();
      skipToSection(c, tokens);
      continue;
    }
    const head = c.peek();
    const headPos = span(head.start, head.end);
    if (part !== 'variable' && seen.has(part)) c.report('dqdl.duplicate-section', `${part} appears twice`, headPos);
    else if (RANK[part] < rank) c.report('dqdl.section-order', `${part} must come before the sections above it`, headPos);
    seen.add(part);
    rank = Math.max(rank, RANK[part]);
    sawRules ||= part === 'Rules' || part === 'Analyzers';
    if (!parsePart(c, tokens, part, state)) skipToSection(c, tokens);
  }

  if (!sawRules) {
    c.report('dqdl.no-rules', 'no Rules or Analyzers section', span(text.length, text.length));
  } else if (state.listed === 0) {
    c.report('dqdl.no-rules', 'no rules or analyzers provided', span(0, text.length));
  }

  const ruleset: Ruleset = {
    ...(state.metadata === undefined ? {} : { metadata: state.metadata }),
    ...(state.dataSources === undefined ? {} : { dataSources: state.dataSources }),
    variables: [...state.variables.values()],
    defaultLabels: state.defaultLabels,
    rules: state.rules,
    analyzers: state.analyzers,
  };
  return { ruleset, diagnostics: [...lexical, ...c.diagnostics] };
}
