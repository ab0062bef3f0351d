/**
 * The part of a source line shown above a caret. A line up to MAX_EXCERPT characters is shown
 * whole; a longer one (a DQDL ruleset on one line, a flow mapping) is cut to a window of that
 * many around the caret, with `…` where it was cut.
 */
export const MAX_EXCERPT = 120;

export interface Excerpt {
  /** The line, or the window of it, with `…` at a cut end. */
  readonly text: string;
  /** What goes before the caret: a space for each character of `text` before it, a tab for a tab. */
  readonly pad: string;
  /** How many carets (at least 1). */
  readonly width: number;
}

/** `start`: 0-based index of the caret in `line` (may be `line.length`); `width`: its length. */
export function excerpt(line: string, start: number, width: number): Excerpt {
  const w = Math.max(1, width);
  if (line.length <= MAX_EXCERPT) return caretAt(line, start, w);
  const [cutStart, cutEnd] = window(line.length, start, Math.min(w, (MAX_EXCERPT - 2) >> 1));
  const from = atCodePoint(line, cutStart);
  const to = atCodePoint(line, cutEnd);
  const head = from > 0 ? '…' : '';
  const tail = to < line.length ? '…' : '';
  const caret = Math.max(0, start - from);
  return caretAt(head + line.slice(from, to) + tail, head.length + caret, Math.max(1, Math.min(w, to - from - caret)));
}

/**
 * [from, to) of the line to show: as few cuts as fit the caret, else centred on it. A long
 * caret counts as half the window here, so its start is shown with some text before it.
 */
function window(length: number, start: number, width: number): [number, number] {
  const oneCut = MAX_EXCERPT - 1;
  if (start + width <= oneCut) return [0, oneCut];
  if (start >= length - oneCut) return [length - oneCut, length];
  const from = start - Math.floor((MAX_EXCERPT - 2 - width) / 2);
  return [from, from + MAX_EXCERPT - 2];
}

/** Moves a cut off the middle of a surrogate pair, so no half of a character is shown. */
function atCodePoint(line: string, index: number): number {
  const code = line.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index + 1 : index;
}

function caretAt(text: string, start: number, width: number): Excerpt {
  return { text, pad: text.slice(0, start).replace(/[^\t]/g, ' ').padEnd(start, ' '), width };
}
