import { diag, type Diagnostic, type DqdlCode, type Span } from './diagnostics.js';
import type { Token } from './lexer.js';

/**
 * A position in the token list plus the diagnostics collected so far. Parse functions
 * return `undefined` after reporting a syntax error; the rule-list parser then skips to
 * the next rule boundary and carries on, so every broken rule is reported.
 */
export class Cursor {
  private index = 0;
  readonly diagnostics: Diagnostic[] = [];

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
