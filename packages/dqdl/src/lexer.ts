import { diag, type DqdlDiagnostic } from './diagnostics.js';

/**
 * Token kinds, following the upstream lexer (CommonLexerRules.g4):
 * - `word`: `[a-zA-Z0-9_.]+` that is not a number (identifiers and keywords; the parser
 *   decides by context, and `reserved.ts` lists the words that cannot be identifiers);
 * - `int` / `decimal`: `\d+` and `\d+\.\d+` (a sign is a separate `-` token);
 * - `string`: a double-quoted string; only `\"` and `\\` are escapes;
 * - `variable`: `$name`, the `$` directly followed by the name;
 * - `now`: the literal `now()`;
 * - `single-quoted`: `'...'` on one line, which DQDL does not accept (kept whole so the
 *   parser reports it once);
 * - `punct`: one of `[ ] ( ) { } , : = ! > >= < <= + - * / ' $`.
 */
export type TokenKind = 'word' | 'int' | 'decimal' | 'string' | 'single-quoted' | 'variable' | 'now' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token (for strings, with the quotes). */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** For strings, the content between the quotes as written (escapes kept); else `text`. */
  readonly raw: string;
}

export interface LexResult {
  readonly tokens: readonly Token[];
  readonly diagnostics: readonly DqdlDiagnostic[];
}

const WORD_CHAR = /[A-Za-z0-9_.]/;
const TWO_CHAR_PUNCT = new Set(['>=', '<=']);
const ONE_CHAR_PUNCT = new Set([...'[](){},:=!><+-*/\'$']);

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch);
}

/** Splits DQDL text into tokens; never throws, reports bad input as diagnostics. */
export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  const diagnostics: DqdlDiagnostic[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, raw?: string): void => {
    const source = text.slice(start, end);
    tokens.push({ kind, text: source, start, end, raw: raw ?? source });
  };

  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '"') {
      const start = i;
      i++;
      let closed = false;
      while (i < text.length) {
        if (text[i] === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) i += 2;
        else if (text[i] === '"') {
          i++;
          closed = true;
          break;
        } else i++;
      }
      if (!closed) {
        diagnostics.push(diag('dqdl.unterminated-string', 'string is never closed', [start, text.length]));
      }
      push('string', start, i, text.slice(start + 1, closed ? i - 1 : i));
    } else if (ch === "'" && /^'[^'\n]*'/.test(text.slice(i))) {
      const start = i;
      i = text.indexOf("'", i + 1) + 1;
      push('single-quoted', start, i);
    } else if (ch === '$' && isWordChar(text[i + 1])) {
      const start = i;
      i++;
      while (isWordChar(text[i])) i++;
      push('variable', start, i);
    } else if (isWordChar(ch)) {
      const start = i;
      if (text.startsWith('now()', i)) {
        i += 5;
        push('now', start, i);
        continue;
      }
      while (isWordChar(text[i])) i++;
      const word = text.slice(start, i);
      push(/^\d+$/.test(word) ? 'int' : /^\d+\.\d+$/.test(word) ? 'decimal' : 'word', start, i);
    } else if (TWO_CHAR_PUNCT.has(text.slice(i, i + 2))) {
      push('punct', i, i + 2);
      i += 2;
    } else if (ONE_CHAR_PUNCT.has(ch)) {
      push('punct', i, i + 1);
      i++;
    } else {
      const width = ch.length === 1 && /[\uD800-\uDBFF]/.test(ch) ? 2 : 1;
      diagnostics.push(diag('dqdl.invalid-character', `unexpected character ${JSON.stringify(text.slice(i, i + width))}`, [i, i + width]));
      i += width;
    }
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length, raw: '' });
  return { tokens, diagnostics };
}

/** Resolves the two DQDL escapes, `\"` and `\\`; other backslashes stay as written. */
export function unescapeString(raw: string): string {
  return raw.replace(/\\(["\\])/g, '$1');
}
