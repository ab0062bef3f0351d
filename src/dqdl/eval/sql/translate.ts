/**
 * Spark-flavoured SQL (what Glue runs) to DuckDB text, token by token: `"text"` is a string
 * literal and `` `name` `` a quoted identifier in Spark, and `primary` must be quoted in
 * DuckDB. Comments and semicolons are refused, and parentheses must never close more than
 * they opened: so the text cannot end the statement or the parenthesis it is placed in.
 */
import { ident, str } from './quote.js';
import { isScanError, scanSql, type SqlToken } from './tokens.js';

export interface Translated {
  readonly sql: string;
  /** Maps an offset in `sql` back to one in the original text. */
  readonly origin: (offset: number) => number;
}

export interface SqlProblem {
  readonly code: 'dq.unsafe-sql' | 'dq.invalid-sql';
  readonly message: string;
  /** Offset in the original text. */
  readonly offset: number;
}

export interface TranslateOptions {
  /** `where clause` or `CustomSql statement`, for messages. */
  readonly what: string;
  /** Bare words to quote as identifiers (lower case), e.g. `primary`. */
  readonly quoteWords?: readonly string[];
  /** Accept (and drop) one `;` at the very end. */
  readonly trailingSemicolon?: boolean;
}

function unquote(text: string, q: string): string {
  return text.slice(1, -1).replaceAll(q + q, q);
}

function rewrite(t: SqlToken, quoteWords: ReadonlySet<string>): string {
  switch (t.kind) {
    case 'double-quoted':
      return str(unquote(t.text, '"'));
    case 'backtick':
      return ident(unquote(t.text, '`'));
    case 'word':
      return quoteWords.has(t.text.toLowerCase()) ? ident(t.text) : t.text;
    default:
      return t.text;
  }
}

/** The last `;` and anything after it, when only spaces follow it. */
function trailingSemicolon(tokens: readonly SqlToken[]): number {
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i] as SqlToken;
    if (t.kind === 'space') continue;
    return t.kind === 'semicolon' ? i : -1;
  }
  return -1;
}

export function translateSql(text: string, options: TranslateOptions): Translated | SqlProblem {
  const scanned = scanSql(text);
  if (isScanError(scanned)) return { code: 'dq.invalid-sql', message: `${options.what}: ${scanned.message}`, offset: scanned.offset };
  const cut = options.trailingSemicolon === true ? trailingSemicolon(scanned) : -1;
  const tokens = cut === -1 ? scanned : scanned.slice(0, cut);
  const quoteWords = new Set(options.quoteWords ?? []);
  let depth = 0;
  let sql = '';
  const starts: Array<readonly [out: number, orig: number]> = [];
  for (const t of tokens) {
    if (t.kind === 'line-comment' || t.kind === 'block-comment') {
      return { code: 'dq.unsafe-sql', message: `${options.what} may not contain comments`, offset: t.start };
    }
    if (t.kind === 'semicolon') {
      return { code: 'dq.unsafe-sql', message: `${options.what} must be a single statement: ';' is not allowed`, offset: t.start };
    }
    if (t.kind === 'open') depth++;
    if (t.kind === 'close' && --depth < 0) {
      return { code: 'dq.unsafe-sql', message: `${options.what} closes a parenthesis it did not open`, offset: t.start };
    }
    starts.push([sql.length, t.start]);
    sql += rewrite(t, quoteWords);
  }
  if (depth > 0) return { code: 'dq.invalid-sql', message: `${options.what} leaves ${depth} parenthesis(es) open`, offset: text.length };
  if (sql.trim() === '') return { code: 'dq.invalid-sql', message: `${options.what} is empty`, offset: 0 };
  const origin = (offset: number): number => {
    let best: readonly [number, number] = [0, 0];
    for (const s of starts) if (s[0] <= offset) best = s;
    return Math.min(text.length, best[1] + (offset - best[0]));
  };
  return { sql, origin };
}

export function isSqlProblem<T extends object>(x: T | SqlProblem): x is SqlProblem {
  return 'code' in x && 'offset' in x;
}
