/**
 * The references between a spec's tasks: `after`, `input` and `for_each.from`, each resolved
 * to the task or group it names (the innermost group's first), and the mapping of each task.
 */
import type { SpecDiagnostic } from '../spec/diagnostics.js';
import { closest } from '../spec/did-you-mean.js';
import type { SpecPath, SpecSource } from '../spec/source.js';
import { candidateIds, isInside, type SpecEntry } from './flatten.js';
import { checkListSource, checkServiceItems, MAPPABLE_TASK_TYPES } from './for-each-check.js';
import type { ForEachModel } from './types.js';

const SERVICE_TASK_TYPES = new Set(['bookmark', 'dq_check', 'load']);

export interface References {
  /** What each task or group runs after, groups kept as groups: its `after`, then its `input`. */
  readonly upstreamOf: ReadonlyMap<string, readonly string[]>;
  /** Mapped tasks depend on the task they map over; Airflow draws that edge from the XComArg itself. */
  readonly mappedFrom: ReadonlyMap<string, string>;
  readonly forEachOf: ReadonlyMap<string, ForEachModel>;
  /** An explicit `input` (undefined where it names no task): read through XCom, so the task also runs after it. */
  readonly inputOf: ReadonlyMap<string, string | undefined>;
}

export interface ReferenceScope {
  readonly source: SpecSource;
  /** Every task and group of the spec, in definition order. */
  readonly entries: readonly SpecEntry[];
  readonly byId: ReadonlyMap<string, SpecEntry>;
}

export function resolveReferences(scope: ReferenceScope, dagId: string): { references: References; diagnostics: SpecDiagnostic[] } {
  const { source, entries } = scope;
  const diagnostics: SpecDiagnostic[] = [];
  const resolve = (entry: SpecEntry, reference: string, path: SpecPath, allowGroups: boolean): string | undefined => {
    const resolved = resolveReference(scope, entry, reference, path, allowGroups);
    if (typeof resolved === 'string') return resolved;
    diagnostics.push(resolved);
    return undefined;
  };
  const upstreamOf = new Map<string, string[]>();
  const mappedFrom = new Map<string, string>();
  const forEachOf = new Map<string, ForEachModel>();
  const inputOf = new Map<string, string | undefined>();
  for (const entry of entries) {
    const after = (entry.spec.after ?? []).flatMap((reference, index) => {
      const id = resolve(entry, reference, [...entry.path, 'after', index], true);
      return id === undefined ? [] : [id];
    });
    const input = entry.spec.type === 'dq_check' || entry.spec.type === 'load' ? entry.spec.input : undefined;
    if (input !== undefined) {
      const id = resolve(entry, input, [...entry.path, 'input'], false);
      inputOf.set(entry.id, id);
      if (id !== undefined && !after.includes(id)) after.push(id);
    }
    const forEach = entry.spec.for_each;
    if (forEach !== undefined) {
      if (!MAPPABLE_TASK_TYPES.has(entry.spec.type)) {
        diagnostics.push(source.diagnostic('for_each.unsupported', `for_each maps ${[...MAPPABLE_TASK_TYPES].join(', ')} tasks; a ${entry.spec.type} task cannot be mapped in v1`, [...entry.path, 'for_each'], 'key'));
      } else if (Array.isArray(forEach)) {
        if (SERVICE_TASK_TYPES.has(entry.spec.type)) diagnostics.push(...checkServiceItems(source, entry, forEach, dagId));
        forEachOf.set(entry.id, { kind: 'values', values: forEach });
      } else {
        const from = resolve(entry, forEach.from, [...entry.path, 'for_each', 'from'], false);
        const fromEntry = from === undefined ? undefined : scope.byId.get(from);
        if (from !== undefined && fromEntry !== undefined) {
          diagnostics.push(...checkListSource(source, entry, fromEntry));
          forEachOf.set(entry.id, { kind: 'upstream', from, maxParallel: forEach.max_parallel });
          mappedFrom.set(entry.id, from);
        }
      }
    }
    upstreamOf.set(entry.id, after);
  }
  return { references: { upstreamOf, mappedFrom, forEachOf, inputOf }, diagnostics };
}

/** The id a reference written in `entry` names, or why it names none. */
function resolveReference(scope: ReferenceScope, entry: SpecEntry, reference: string, path: SpecPath, allowGroups: boolean): string | SpecDiagnostic {
  const { source, entries, byId } = scope;
  const found = candidateIds(reference, entry.groupId).find((id) => byId.has(id));
  if (found === undefined) {
    const visible = entries.map((e) => e.id).flatMap((id) => [id, id.slice(id.lastIndexOf('.') + 1)]);
    const suggestion = closest(reference, visible);
    return source.diagnostic('graph.unknown-task', `unknown task "${reference}"` + (suggestion ? `; did you mean "${suggestion}"?` : ''), path);
  }
  if (found === entry.id) return source.diagnostic('graph.self-dependency', `task "${entry.id}" cannot run after itself`, path);
  if (isInside(entry.id, found)) return source.diagnostic('graph.cycle', `"${entry.id}" is inside group "${found}" and cannot run after it`, path);
  if (!allowGroups && byId.get(found)?.kind === 'group') return source.diagnostic('task.invalid', `"${reference}" is a group; this field needs a task`, path);
  return found;
}
