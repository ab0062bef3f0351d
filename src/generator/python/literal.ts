/**
 * Python literals for values that come from specs. Every string a user wrote reaches the
 * generated file only through `pyString`, so no spec value can become code.
 */

/**
 * A Python string literal that evaluates to exactly `value`, written the way `ruff format`
 * writes it: double quotes unless single quotes need fewer escapes, printable characters
 * as themselves, everything else escaped (lowercase hex).
 */
export function pyString(value: string): string {
  const doubles = countChar(value, '"');
  const singles = countChar(value, "'");
  const quote = doubles > singles ? "'" : '"';
  let body = '';
  for (const char of codePoints(value)) body += escapeChar(char, quote);
  return quote + body + quote;
}

function escapeChar(char: string, quote: string): string {
  switch (char) {
    case '\\':
      return '\\\\';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case quote:
      return '\\' + quote;
    default:
      break;
  }
  const code = char.codePointAt(0) ?? 0;
  if (isPrintable(code)) return char;
  if (code <= 0xff) return '\\x' + hex(code, 2);
  if (code <= 0xffff) return '\\u' + hex(code, 4);
  return '\\U' + hex(code, 8);
}

/** Characters safe to write as themselves inside a one-line literal in a UTF-8 file. */
function isPrintable(code: number): boolean {
  if (code < 0x20 || (code >= 0x7f && code <= 0xa0)) return false; // C0, DEL, C1, NBSP
  if (code >= 0xd800 && code <= 0xdfff) return false; // lone surrogates cannot be encoded
  if (code === 0xad || code === 0x2028 || code === 0x2029 || code === 0x85) return false;
  if ((code >= 0x200b && code <= 0x200f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2060 && code <= 0x206f)) return false; // invisible and bidi controls
  if (code === 0xfeff || (code >= 0xfff0 && code <= 0xffff)) return false;
  if (code >= 0xe000 && code <= 0xf8ff) return false; // private use
  if (code >= 0xe0000) return false; // tags, variation selectors supplement, private use planes
  if (/\p{Cf}|\p{Zl}|\p{Zp}|\p{Cn}|\p{Mn}|\p{Me}/u.test(String.fromCodePoint(code))) return false;
  if (/\p{Zs}/u.test(String.fromCodePoint(code)) && code !== 0x20) return false;
  return true;
}

/** Iterates code points, keeping lone surrogates as single UTF-16 units. */
function* codePoints(value: string): Generator<string> {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        yield value.slice(i, i + 2);
        i++;
        continue;
      }
    }
    yield value[i] as string;
  }
}

function countChar(value: string, char: string): number {
  let count = 0;
  for (const c of value) if (c === char) count++;
  return count;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** A Python int or float literal for a finite JSON number. */
export function pyNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a Python literal`);
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
  const text = String(value);
  return /[.e]/.test(text) ? text.replace('e+', 'e') : `${text}.0`;
}

/** Text safe inside a `#` comment: one line, control characters escaped. */
export function commentText(value: string): string {
  return pyString(value).slice(1, -1);
}
