/**
 * The non-rule sections: `Metadata = {...}`, `DataSources = {...}`, variable
 * declarations (`name = "str"` / `name = ["a", "b"]`) and `DefaultLabels = [...]`.
 */
import type { DataSources, Metadata, StringLit, Variable } from './ast.js';
import { span, type Cursor } from './cursor.js';
import type { Span } from './diagnostics.js';
import { stringLit } from './parse-operand.js';
import { isReserved, keywordOf } from './words.js';

interface Pair {
  readonly key: StringLit;
  readonly value: StringLit | readonly StringLit[];
  readonly pos: Span;
}

/** `["a", "b"]`, the cursor on `[`. */
function parseStringArray(c: Cursor): StringLit[] | undefined {
  c.next();
  const items: StringLit[] = [];
  do {
    const t = c.peek();
    if (t.kind !== 'string') return c.fail('a quoted string');
    c.next();
    items.push(stringLit(t));
  } while (c.eatPunct(','));
  return c.expectPunct(']') === undefined ? undefined : items;
}

/** `{ "key": "value" | ["a", ...], ... }`; strings and string arrays only. */
function parseDictionary(c: Cursor): Pair[] | undefined {
  const open = c.expectPunct('{');
  if (open === undefined) return undefined;
  const close = c.eatPunct('}');
  if (close !== undefined) {
    c.report('dqdl.empty-dictionary', 'the dictionary is empty', span(open.start, close.end));
    return [];
  }
  const pairs: Pair[] = [];
  do {
    const key = c.peek();
    if (key.kind !== 'string') return c.fail('a quoted key');
    c.next();
    if (c.expectPunct(':') === undefined) return undefined;
    const v = c.peek();
    let value: StringLit | StringLit[] | undefined;
    if (v.kind === 'string') value = stringLit(c.next());
    else if (v.kind === 'punct' && v.text === '[') value = parseStringArray(c);
    else return c.fail('a quoted string or a list of quoted strings');
    if (value === undefined) return undefined;
    pairs.push({ key: stringLit(key), value, pos: span(key.start, c.lastEnd) });
  } while (c.eatPunct(','));
  return c.expectPunct('}') === undefined ? undefined : pairs;
}

/** `Metadata = {"Version": "..."}`; the cursor is after `=`. */
export function parseMetadata(c: Cursor, start: number): Metadata | undefined {
  const pairs = parseDictionary(c);
  if (pairs === undefined) return undefined;
  let version: string | undefined;
  for (const pair of pairs) {
    if (pair.key.value !== 'Version') {
      c.report('dqdl.unsupported-key', `Metadata takes only "Version", not "${pair.key.value}"`, pair.key.pos);
    } else if (Array.isArray(pair.value)) {
      c.report('dqdl.invalid-value', 'Version must be a string', pair.pos);
    } else {
      version = (pair.value as StringLit).value;
    }
  }
  const pos = span(start, c.lastEnd);
  return version === undefined ? { pos } : { version, pos };
}

/** `DataSources = {"Primary": "...", "AdditionalDataSources": [...]}`; the cursor is after `=`. */
export function parseDataSources(c: Cursor, start: number): DataSources | undefined {
  const pairs = parseDictionary(c);
  if (pairs === undefined) return undefined;
  let primary: string | undefined;
  let additional: string[] | undefined;
  for (const pair of pairs) {
    const isList = Array.isArray(pair.value);
    if (pair.key.value === 'Primary' && !isList) primary = (pair.value as StringLit).value;
    else if (pair.key.value === 'AdditionalDataSources' && isList) additional = (pair.value as StringLit[]).map((s) => s.value);
    else if (pair.key.value === 'Primary') c.report('dqdl.invalid-value', 'Primary must be a string', pair.pos);
    else if (pair.key.value === 'AdditionalDataSources') c.report('dqdl.invalid-value', 'AdditionalDataSources must be a list of strings', pair.pos);
    else c.report('dqdl.unsupported-key', `DataSources takes "Primary" and "AdditionalDataSources", not "${pair.key.value}"`, pair.key.pos);
  }
  return { ...(primary === undefined ? {} : { primary }), ...(additional === undefined ? {} : { additional }), pos: span(start, c.lastEnd) };
}

const NESTED_VARIABLE = /\$[a-zA-Z_][a-zA-Z0-9_.]*/;

/**
 * `name = "value"` or `name = ["a", "b"]`; the cursor is on the name. Only strings:
 * numbers, keywords and `$references` inside values are rejected, as upstream does.
 */
export function parseVariable(c: Cursor, defined: ReadonlyMap<string, Variable>): Variable | undefined {
  const name = c.peek();
  if (name.kind !== 'word' || isReserved(name.text)) return c.fail('a variable name');
  c.next();
  const namePos = span(name.start, name.end);
  if (name.text.startsWith('.') || name.text.startsWith('_')) {
    c.report('dqdl.variable-name', `variable name '${name.text}' cannot start with '.' or '_'`, namePos);
  }
  if (defined.has(name.text)) {
    c.report('dqdl.variable-redefined', `variable '${name.text}' is already defined`, namePos);
  }
  c.next(); // '='
  const v = c.peek();
  let value: Variable['value'];
  if (v.kind === 'string') {
    value = { kind: 'string', lit: stringLit(c.next()) };
  } else if (v.kind === 'punct' && v.text === '[') {
    const items = parseStringArray(c);
    if (items === undefined) return undefined;
    value = { kind: 'array', items };
  } else if (v.kind === 'variable') {
    c.next();
    c.report('dqdl.variable-nested', 'a variable cannot refer to another variable', span(v.start, v.end));
    return undefined;
  } else if (v.kind === 'word' && keywordOf(v.text) !== undefined) {
    c.next();
    c.report('dqdl.invalid-value', 'variables hold quoted strings or lists of quoted strings', span(v.start, v.end));
    return undefined;
  } else {
    return c.fail('a quoted string or a list of quoted strings');
  }
  const texts = value.kind === 'string' ? [value.lit] : value.items;
  const nested = texts.find((s) => NESTED_VARIABLE.test(s.value));
  if (nested !== undefined) {
    c.report('dqdl.variable-nested', `variable '${name.text}' refers to another variable; nesting is not supported`, nested.pos);
  }
  return { name: name.text, value, pos: span(name.start, c.lastEnd) };
}
