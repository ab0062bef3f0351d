/**
 * A small SQL tokenizer: enough to know, for any text, what is a string literal, a quoted
 * identifier, a comment, a parenthesis or a semicolon. The guard uses it to translate
 * Spark-flavoured SQL (`"text"` literals, `` `name` `` identifiers) and to refuse text that
 * could leave its parentheses.
 */
export type SqlTokenKind =
  | 'space'
  | 'word'
  | 'number'
  | 'string'
  | 'double-quoted'
  | 'backtick'
  | 'dollar'
  | 'line-comment'
  | 'block-comment'
  | 'open'
  | 'close'
  | 'semicolon'
  | 'other';

export interface SqlToken {
  readonly kind: SqlTokenKind;
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
const DOLLAR_TAG = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/y;

function quoted(text: string, start: number, q: string, kind: SqlTokenKind, backslash: boolean): SqlToken | SqlScanError {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (backslash && c === '\\') {
      i += 2;
      continue;
    }
    if (c === q) {
      if (text[i + 1] === q) {
        i += 2;
        continue;
      }
      return { kind, text: text.slice(start, i + 1), start, end: i + 1 };
    }
    i++;
  }
  return { message: `unterminated ${q === "'" ? 'string' : 'quoted name'}`, offset: start };
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

function next(text: string, i: number): SqlToken | SqlScanError {
  const c = text[i] as string;
  const one = (kind: SqlTokenKind): SqlToken => ({ kind, text: c, start: i, end: i + 1 });
  if (/\s/.test(c)) {
    let j = i + 1;
    while (j < text.length && /\s/.test(text[j] as string)) j++;
    return { kind: 'space', text: text.slice(i, j), start: i, end: j };
  }
  if (c === "'") return quoted(text, i, "'", 'string', false);
  if ((c === 'E' || c === 'e') && text[i + 1] === "'") {
    const t = quoted(text, i + 1, "'", 'string', true);
    return 'message' in t ? t : { ...t, text: text.slice(i, t.end), start: i };
  }
  if (c === '"') return quoted(text, i, '"', 'double-quoted', false);
  if (c === '`') return quoted(text, i, '`', 'backtick', false);
  if (text.startsWith('--', i)) {
    const nl = text.indexOf('\n', i);
    const end = nl === -1 ? text.length : nl;
    return { kind: 'line-comment', text: text.slice(i, end), start: i, end };
  }
  if (text.startsWith('/*', i)) return blockComment(text, i);
  if (c === '$') {
    DOLLAR_TAG.lastIndex = i;
    const tag = DOLLAR_TAG.exec(text);
    if (tag !== null) {
      const close = text.indexOf(tag[0], i + tag[0].length);
      if (close === -1) return { message: 'unterminated dollar-quoted string', offset: i };
      const end = close + tag[0].length;
      return { kind: 'dollar', text: text.slice(i, end), start: i, end };
    }
  }
  if (c === '(') return one('open');
  if (c === ')') return one('close');
  if (c === ';') return one('semicolon');
  for (const [re, kind] of [
    [NUMBER, 'number'],
    [WORD, 'word'],
  ] as const) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m !== null && m.index === i) return { kind, text: m[0], start: i, end: i + m[0].length };
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
