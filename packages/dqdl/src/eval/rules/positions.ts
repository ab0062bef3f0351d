/** Positions of errors inside quoted DQDL strings (where clauses, CustomSql statements). */
import type { Param, Span, StringLit } from '../../ast.js';

/** The offset in `raw` of the character at `offset` in its unescaped value (`\"` and `\\` are escapes). */
export function rawOffset(raw: string, offset: number): number {
  let v = 0;
  let i = 0;
  while (i < raw.length && v < offset) {
    i += raw[i] === '\\' && (raw[i + 1] === '"' || raw[i + 1] === '\\') ? 2 : 1;
    v++;
  }
  return i;
}

/** A one-character span at `offset` of a string literal's value (inside the quotes). */
export function spanInLiteral(lit: StringLit, offset: number): Span {
  const start = lit.pos[0] + 1 + rawOffset(lit.raw, offset);
  return [start, Math.min(start + 1, lit.pos[1])];
}

/** Where in the ruleset a parameter's SQL offset is: inside a quoted parameter, else the parameter. */
export function spanInParam(p: Param, offset: number): Span {
  if (p.kind !== 'quoted') return p.pos;
  const start = p.pos[0] + 1 + rawOffset(p.text, offset);
  return [start, Math.min(start + 1, p.pos[1])];
}
