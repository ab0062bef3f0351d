import { diag, type DqdlDiagnostic, type DqdlCode, type Span } from './diagnostics.js';
import type { Token } from './lexer.js';

/**
 * How deep a rule may nest: each parenthesised group, function call and arithmetic
 * operator (arithmetic associates to the left, so a sum of n terms is n - 1 levels deep)
 * is one level. Past it the parser reports `dqdl.too-complex` rather than recursing on,
 * and nothing that parses is too deep for the printer or the evaluator.
 */
export const MAX_NESTING = 100;

/**
 * A position in the token list plus the diagnostics collected so far. Parse functions
 * return `undefined` after reporting a syntax error; the rule-list parser then skips to
 * the next rule boundary and carries on, so every broken rule is reported.
 */
export class Cursor {
  private index = 0;
  private depth = 0;
  readonly diagnostics: DqdlDiagnostic[] = [];

  constructor(private readonly tokens: readonly Token[]) {}

  get position(): number {
    return this.index;
  }

  set position(value: number) {
    this.index = Math.max(0, Math.min(value, this.tokens.length - 1));
  }

  peek(ahead = 0): Token {
    const last = this.tokens[this.tokens.length - 1] as Token;
    return this.tokens[this.index + ahead] ?? last;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  /** The end offset of the last consumed token. */
  get lastEnd(): number {
    return this.index === 0 ? 0 : (this.tokens[this.index - 1] as Token).end;
  }

  isPunct(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'punct' && t.text === text;
  }

  isWord(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'word' && t.text === text;
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  /** Consumes the punctuation if it is next. */
  eatPunct(text: string): Token | undefined {
    return this.isPunct(text) ? this.next() : undefined;
  }

  eatWord(text: string): Token | undefined {
    return this.isWord(text) ? this.next() : undefined;
  }

  /** Consumes `text` or reports "expected ..." and returns undefined. */
  expectPunct(text: string): Token | undefined {
    return this.eatPunct(text) ?? this.fail(`'${text}'`);
  }

  expectWord(text: string): Token | undefined {
    return this.eatWord(text) ?? this.fail(`'${text}'`);
  }

  /**
   * Enters one level of nesting at `at`. Past MAX_NESTING it reports `dqdl.too-complex`
   * there and returns false (the caller gives up, as after a syntax error). Every level
   * entered is left with `leave`.
   */
  enter(at: Token): boolean {
    if (this.depth >= MAX_NESTING) {
      this.report('dqdl.too-complex', `the rule nests more than ${MAX_NESTING} levels deep (each parenthesised group, function call and arithmetic operator is a level)`, [at.start, at.end]);
      return false;
    }
    this.depth++;
    return true;
  }

  leave(levels = 1): void {
    this.depth -= levels;
  }

  /** `parse` one level deeper than here (at `at`); undefined when that is too deep. */
  nested<T>(at: Token, parse: () => T | undefined): T | undefined {
    if (!this.enter(at)) return undefined;
    try {
      return parse();
    } finally {
      this.leave();
    }
  }

  report(code: DqdlCode, message: string, pos: Span): void {
    this.diagnostics.push(diag(code, message, pos));
  }

  /** Reports a syntax error at the next token. Always returns undefined. */
  fail(expected: string): undefined {
    const t = this.peek();
    const shown = t.text.length > 40 ? `${t.text.slice(0, 37)}...` : t.text;
    const found = t.kind === 'eof' ? 'end of input' : t.kind === 'single-quoted' ? `${shown} (strings take double quotes)` : `'${shown}'`;
    this.report('dqdl.syntax', `expected ${expected}, found ${found}`, [t.start, t.end]);
    return undefined;
  }
}

export function span(start: number, end: number): Span {
  return [start, end];
}
