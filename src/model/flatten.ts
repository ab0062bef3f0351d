import type { SpecPath } from '../spec/source.js';
import type { GroupSpec, LeafTaskSpec, TaskSpec } from '../spec/types.js';

/** A task or group of the spec, with its place in the group tree. */
export type SpecEntry = ({ readonly kind: 'task'; readonly spec: LeafTaskSpec } | { readonly kind: 'group'; readonly spec: GroupSpec }) & {
  /** The Airflow id: group ids joined with dots. */
  readonly id: string;
  readonly localId: string;
  readonly groupId: string | undefined;
  readonly path: SpecPath;
};

/** Walks the task tree depth-first, in spec order, parents before their children. */
export function flattenTasks(
  tasks: Readonly<Record<string, TaskSpec>>,
  path: SpecPath = ['tasks'],
  groupId: string | undefined = undefined,
): SpecEntry[] {
  const entries: SpecEntry[] = [];
  for (const [localId, spec] of Object.entries(tasks)) {
    const id = groupId === undefined ? localId : `${groupId}.${localId}`;
    const entryPath = [...path, localId];
    const place = { id, localId, groupId, path: entryPath };
    if (spec.type === 'group') {
      entries.push({ kind: 'group', spec, ...place });
      entries.push(...flattenTasks(spec.tasks, [...entryPath, 'tasks'], id));
    } else {
      entries.push({ kind: 'task', spec, ...place });
    }
  }
  return entries;
}

/** The ids a reference written inside `groupId` may mean, innermost scope first. */
export function candidateIds(reference: string, groupId: string | undefined): string[] {
  const candidates: string[] = [];
  let scope = groupId;
  while (scope !== undefined) {
    candidates.push(`${scope}.${reference}`);
    const dot = scope.lastIndexOf('.');
    scope = dot < 0 ? undefined : scope.slice(0, dot);
  }
  candidates.push(reference);
  return candidates;
}

export function isInside(id: string, groupId: string): boolean {
  return id.startsWith(`${groupId}.`);
}

/** The groups around `groupId`, innermost first (the group itself included). */
export function groupChain(byId: ReadonlyMap<string, SpecEntry>, groupId: string | undefined): string[] {
  const chain: string[] = [];
  for (let scope = groupId; scope !== undefined; scope = byId.get(scope)?.groupId) chain.push(scope);
  return chain;
}
