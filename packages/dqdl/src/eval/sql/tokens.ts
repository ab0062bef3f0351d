/**
 * A tokenizer for Spark SQL, the dialect Glue runs where clauses and CustomSql in: enough
 * to know, for any text, what is a string literal (`'…'` and `"…"` with backslash escapes,
 * raw `R'…'`), a quoted name (`` `…` ``), a comment, a parenthesis, a semicolon, a word, a
 * number or an operator. The translator (`translate.ts`) works on these tokens.
 */
export type SqlTokenKind =
  | 'space'
  | 'word'
  | 'number'
  | 'string'
  | 'backtick'
  | 'line-comment'
  | 'block-comment'
  | 'open'
  | 'close'
  | 'semicolon'
  | 'operator'
  | 'other';

export interface SqlToken {
  readonly kind: SqlTokenKind;
  /** The token as written. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface SqlScanError {
  readonly message: string;
  readonly offset: number;
}

const WORD = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
/** Longest first: Spark's operators, and DuckDB's that Spark lacks (so they can be refused whole). */
const OPERATOR = /<=>|->>|!~~\*|~~\*|!~~|<=|>=|<>|!=|==|!<|!>|\|\||::|->|\*\*|\/\/|<<|>>|~~|[-+*/%=<>!~^&|.,:@?[\]{}#$]/y;

/** A Spark string literal from `start` (at its opening quote): backslash escapes, no doubled quotes. */
function quoted(text: string, start: number, q: string, raw: boolean): SqlToken | SqlScanError {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (!raw && c === '\\') {
      i += 2;
      continue;
    }
    if (c === q) return { kind: 'string', text: text.slice(start, i + 1), start, end: i + 1 };
    i++;
  }
  return { message: 'unterminated string', offset: start };
}

function backtick(text: string, start: number): SqlToken | SqlScanError {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '`') {
      if (text[i + 1] === '`') {
        i += 2;
        continue;
      }
      return { kind: 'backtick', text: text.slice(start, i + 1), start, end: i + 1 };
    }
    i++;
  }
  return { message: 'unterminated quoted name', offset: start };
}

function blockComment(text: string, start: number): SqlToken | SqlScanError {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return { kind: 'block-comment', text: text.slice(start, i), start, end: i };
    } else i++;
  }
  return { message: 'unterminated comment', offset: start };
}

function sticky(re: RegExp, text: string, i: number): string | undefined {
  re.lastIndex = i;
  const m = re.exec(text);
  return m !== null && m.index === i ? m[0] : undefined;
}

function next(text: string, i: number): SqlToken | SqlScanError {
  const c = text[i] as string;
  const one = (kind: SqlTokenKind): SqlToken => ({ kind, text: c, start: i, end: i + 1 });
  if (/\s/.test(c)) {
    let j = i + 1;
    while (j < text.length && /\s/.test(text[j] as string)) j++;
    return { kind: 'space', text: text.slice(i, j), start: i, end: j };
  }
  if (c === "'" || c === '"') return quoted(text, i, c, false);
  if ((c === 'R' || c === 'r') && (text[i + 1] === "'" || text[i + 1] === '"')) {
    const t = quoted(text, i + 1, text[i + 1] as string, true);
    return 'message' in t ? t : { ...t, text: text.slice(i, t.end), start: i };
  }
  if (c === '`') return backtick(text, i);
  if (text.startsWith('--', i)) {
    const nl = text.indexOf('\n', i);
    const end = nl === -1 ? text.length : nl;
    return { kind: 'line-comment', text: text.slice(i, end), start: i, end };
  }
  if (text.startsWith('/*', i)) return blockComment(text, i);
  if (c === '(') return one('open');
  if (c === ')') return one('close');
  if (c === ';') return one('semicolon');
  for (const [re, kind] of [
    [NUMBER, 'number'],
    [WORD, 'word'],
    [OPERATOR, 'operator'],
  ] as const) {
    const m = sticky(re, text, i);
    if (m !== undefined) return { kind, text: m, start: i, end: i + m.length };
  }
  return one('other');
}

/** Every token of `text`, spaces and comments included, or the first lexical error. */
export function scanSql(text: string): readonly SqlToken[] | SqlScanError {
  const out: SqlToken[] = [];
  let i = 0;
  while (i < text.length) {
    const t = next(text, i);
    if ('message' in t) return t;
    out.push(t);
    i = t.end;
  }
  return out;
}

export function isScanError(x: readonly SqlToken[] | SqlScanError): x is SqlScanError {
  return !Array.isArray(x);
}

/**
 * The value of a Spark string literal, as Spark's parser unescapes it: `\uXXXX`,
 * `\UXXXXXXXX`, octal `\[01][0-7][0-7]`, `\0 \b \n \r \t \Z`; `\%` and `\_` keep their
 * backslash (for LIKE); any other escaped character stands for itself. `R'…'` is raw.
 */
export function stringValue(token: string): string {
  if (token[0] === 'R' || token[0] === 'r') return token.slice(2, -1);
  const body = token.slice(1, -1);
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i] as string;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      i++;
      continue;
    }
    const rest = body.slice(i + 1);
    const u16 = /^u([0-9a-fA-F]{4})/.exec(rest);
    const u32 = /^U(0{2}(?:0[0-9a-fA-F]|10)[0-9a-fA-F]{4})/.exec(rest); // a code point (at most 10FFFF)
    const octal = /^([01][0-7]{2})/.exec(rest);
    if (u16 !== null) {
      out += String.fromCharCode(parseInt(u16[1]!, 16));
      i += 6;
    } else if (u32 !== null) {
      out += String.fromCodePoint(parseInt(u32[1]!, 16));
      i += 10;
    } else if (octal !== null) {
      out += String.fromCharCode(parseInt(octal[1]!, 8));
      i += 4;
    } else {
      const n = rest[0] as string;
      const mapped: Readonly<Record<string, string>> = { '0': '\u0000', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\u001a', '%': '\\%', _: '\\_' };
      out += mapped[n] ?? n;
      i += 2;
    }
  }
  return out;
}
