/**
 * What `for_each` may map, and where a mapped item can be read. bash and python tasks get
 * their item as `$ITEM` or a first argument; the service tasks (bookmark, dq_check, load) get
 * it as `{{ item }}` in the fields their operators render with Jinja.
 */
import { BOOKMARK_ITEM_PATTERN, bookmarkName, bookmarkNameSchema } from '../contract/index.js';
import type { SpecDiagnostic } from '../spec/diagnostics.js';
import type { TaskTypeName } from '../spec/schema.js';
import type { SpecSource } from '../spec/source.js';
import type { TaskSpecOf } from '../spec/types.js';
import type { SpecEntry } from './flatten.js';
import type { ForEachModel } from './types.js';

export const MAPPABLE_TASK_TYPES: ReadonlySet<string> = new Set(['bash', 'python', 'bookmark', 'dq_check', 'load']);

/**
 * The task types that may return a list for `for_each: {from: task}` to map over: a python task
 * returns what its callable returns, an http task its response's JSON (a list is the user's
 * to return). No other task returns a list: bookmark, dq_check and load return their service's
 * result object, glue_job its run id, notify the SNS message id, bash its output's last line,
 * empty and the sensors nothing.
 */
export const LIST_RETURNING_TASK_TYPES: ReadonlySet<string> = new Set(['python', 'http']);

/** `for_each: {from}` must name a task that may return a list (else the mapping fails only when the DAG runs). */
export function checkListSource(source: SpecSource, entry: SpecEntry, from: SpecEntry): SpecDiagnostic[] {
  const type = from.spec.type;
  if (LIST_RETURNING_TASK_TYPES.has(type)) return [];
  return [
    source.diagnostic(
      'for_each.not-a-list',
      `for_each maps over the list its from task returns, and "${from.id}" (type ${type}) returns none; only ${[...LIST_RETURNING_TASK_TYPES].join(' and ')} tasks can feed for_each`,
      [...entry.path, 'for_each', 'from'],
    ),
  ];
}

/** The spec fields whose operator argument is in the operator's template_fields and may hold `{{ item }}`. */
export const ITEM_FIELDS: { readonly [T in TaskTypeName]?: readonly (keyof TaskSpecOf<T> & string)[] } = {
  bookmark: ['source'],
  dq_check: ['ruleset', 'dataset'],
  load: ['source'],
};

/** `item` as a bare Jinja name inside `{{ }}` or `{% %}` (not `ti.item`, not `'item'`). */
const ITEM_REFERENCE = /\{[{%][^}]*?(?<![\w.'"])item(?![\w'"])[^}]*?[}%]\}/;

/** `{% for item in ... %}` makes `item` a loop variable of the template's own. */
const ITEM_LOOP = /\{%-?\s*for\s+(?:\w+\s*,\s*)*item\b/;

export function referencesItem(text: string): boolean {
  return ITEM_REFERENCE.test(text) && !ITEM_LOOP.test(text);
}

const HOW_BASH_AND_PYTHON_GET_IT: Readonly<Record<string, string>> = {
  bash: 'a mapped bash task reads its item as $ITEM',
  python: 'a mapped python task gets its item as its first argument',
};

/** Every `{{ item }}` the task's fields hold where nothing would render it (Jinja's StrictUndefined would fail the task). */
export function checkItemReferences(source: SpecSource, entry: SpecEntry, mapped: boolean): SpecDiagnostic[] {
  const type = entry.spec.type;
  const fields: readonly string[] | undefined = ITEM_FIELDS[type];
  const diagnostics: SpecDiagnostic[] = [];
  for (const [field, value] of Object.entries(entry.spec)) {
    const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    if (!texts.some(referencesItem)) continue;
    if (mapped && fields?.includes(field)) continue;
    const why = !mapped
      ? `{{ item }} is set only in a task with for_each, and task "${entry.id}" has none`
      : (HOW_BASH_AND_PYTHON_GET_IT[type] ?? `${field} is not rendered with Jinja; {{ item }} renders in ${(fields ?? []).join(', ')}`);
    diagnostics.push(source.diagnostic('for_each.item-unavailable', `nothing renders {{ item }} here: ${why}`, [...entry.path, field]));
  }
  return diagnostics;
}

/**
 * The items of a mapped service task must render as text: strings or numbers, each once (two
 * copies with one item would load twice, or run one bookmark twice at once). A bookmark's
 * item becomes part of its bookmark name, so it takes a bookmark name's characters.
 */
export function checkServiceItems(source: SpecSource, entry: SpecEntry, values: readonly unknown[], dagId: string): SpecDiagnostic[] {
  const diagnostics: SpecDiagnostic[] = [];
  const seen = new Set<string>();
  const nameRoom = bookmarkNameSchema.maxLength - bookmarkName(dagId, entry.id).length - 1;
  values.forEach((value, index) => {
    const at = [...entry.path, 'for_each', index];
    const bad = (why: string): void => void diagnostics.push(source.diagnostic('for_each.bad-item', why, at));
    if (typeof value !== 'string' && typeof value !== 'number') return bad(`a ${entry.spec.type} task's items must be strings or numbers, not ${typeof value}`);
    const text = String(value);
    if (text === '') return bad('an item must not be empty');
    if (seen.has(text)) return bad(`"${text}" is already an item of this for_each: each copy needs its own item`);
    seen.add(text);
    if (entry.spec.type === 'bookmark') {
      if (!new RegExp(BOOKMARK_ITEM_PATTERN).test(text)) return bad(`"${text}" is part of the bookmark name of its copy, which takes only letters, digits, _, . and -`);
      if (text.length > nameRoom) return bad(`"${text}" makes the bookmark name longer than ${bookmarkNameSchema.maxLength} characters`);
    }
  });
  return diagnostics;
}

/** Whether two tasks are mapped over the same items, in the same order (map index i is the same item in both). */
function sameMapping(a: ForEachModel | undefined, b: ForEachModel | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind === 'upstream') return b.kind === 'upstream' && a.from === b.from;
  if (b.kind === 'upstream') return false;
  return a.values.length === b.values.length && a.values.every((value, i) => value === b.values[i]);
}

function describeMapping(mapping: ForEachModel): string {
  return mapping.kind === 'upstream' ? `{from: ${mapping.from}}` : `[${mapping.values.map((v) => String(v)).join(', ')}]`;
}

/**
 * A task reading a mapped task's batch reads the copy with its own map index, so it must be
 * mapped over the same items: an unmapped one would not know which batch to read.
 * `directField` is the field it could read instead (a load's source, a dq_check's dataset).
 */
export function checkMappedInput(source: SpecSource, entry: SpecEntry, inputId: string, directField: string, forEachOf: ReadonlyMap<string, ForEachModel>): SpecDiagnostic[] {
  const upstream = forEachOf.get(inputId);
  const own = forEachOf.get(entry.id);
  if (upstream === undefined && own !== undefined && entry.spec.type === 'load') {
    // A load takes its item only in `source`: every copy would load the one batch into the same table.
    return [
      source.diagnostic(
        'for_each.mapped-input',
        `every copy of this load would load the same batch of "${inputId}" (it is not mapped) into the same table, once per item; map "${inputId}" the same way, give the load a source with {{ item }}, or drop for_each`,
        [...entry.path, 'for_each'],
        'key',
      ),
    ];
  }
  if (upstream === undefined || sameMapping(own, upstream)) return [];
  const mapping = describeMapping(upstream);
  return [
    source.diagnostic(
      'for_each.mapped-input',
      `this ${entry.spec.type} reads the batch of "${inputId}", which is mapped (for_each: ${mapping}); each copy reads the batch of the copy with its own item, so map this task the same way (for_each: ${mapping})` +
        (own === undefined ? '' : `, not ${describeMapping(own)}`) +
        `, or give it a ${directField} to read instead`,
      own === undefined ? entry.path : [...entry.path, 'for_each'],
      'key',
    ),
  ];
}
