/**
 * The graph Airflow runs: edges between tasks only, a reference to a group expanded to the
 * group's tasks, and a group's `after` given to every task inside it.
 */
import type { SpecDiagnostic } from '../spec/diagnostics.js';
import type { SpecSource } from '../spec/source.js';
import { groupChain, isInside, type SpecEntry } from './flatten.js';
import { findCycles } from './graph.js';
import type { References } from './references.js';
import type { TaskDetails } from './types.js';

export interface LeafGraph {
  /** Every task (not group) of the spec, in definition order. */
  readonly leaves: readonly SpecEntry[];
  readonly upstream: ReadonlyMap<string, ReadonlySet<string>>;
  readonly downstream: ReadonlyMap<string, readonly string[]>;
}

export function buildLeafGraph(entries: readonly SpecEntry[], byId: ReadonlyMap<string, SpecEntry>, references: References): LeafGraph {
  const leaves = entries.filter((entry) => entry.kind === 'task');
  const tasksIn = (id: string): string[] =>
    byId.get(id)?.kind === 'group' ? leaves.filter((leaf) => isInside(leaf.id, id)).map((leaf) => leaf.id) : [id];
  const upstream = new Map<string, Set<string>>();
  for (const leaf of leaves) {
    const ups = new Set<string>();
    const from = references.mappedFrom.get(leaf.id);
    if (from !== undefined) ups.add(from);
    for (const scope of [leaf.id, ...groupChain(byId, leaf.groupId)]) {
      for (const reference of references.upstreamOf.get(scope) ?? []) for (const id of tasksIn(reference)) ups.add(id);
    }
    upstream.set(leaf.id, ups);
  }
  const downstream = new Map<string, string[]>(leaves.map((leaf) => [leaf.id, []]));
  for (const [id, ups] of upstream) for (const up of ups) downstream.get(up)?.push(id);
  return { leaves, upstream, downstream };
}

/** One diagnostic per cycle, at the `after` of the task the cycle starts from. */
export function checkCycles(source: SpecSource, graph: LeafGraph, byId: ReadonlyMap<string, SpecEntry>): SpecDiagnostic[] {
  const diagnostics: SpecDiagnostic[] = [];
  for (const cycle of findCycles(graph.leaves.map((leaf) => leaf.id), (id) => graph.downstream.get(id) ?? [])) {
    const first = byId.get(cycle[0] ?? '');
    if (first) diagnostics.push(source.diagnostic('graph.cycle', `tasks depend on each other in a cycle: ${cycle.join(' → ')}`, [...first.path, 'after'], 'key'));
  }
  return diagnostics;
}

/** The closest task upstream of `id` of one of `types` (the earlier type preferred at equal distance). */
export function nearestUpstream(graph: LeafGraph, id: string, types: readonly TaskDetails['type'][]): string | undefined {
  let frontier = [...(graph.upstream.get(id) ?? [])];
  const seen = new Set<string>();
  while (frontier.length > 0) {
    for (const type of types) {
      const hit = graph.leaves.find((leaf) => frontier.includes(leaf.id) && leaf.spec.type === type);
      if (hit) return hit.id;
    }
    frontier.forEach((f) => seen.add(f));
    frontier = [...new Set(frontier.flatMap((f) => [...(graph.upstream.get(f) ?? [])]))].filter((f) => !seen.has(f));
  }
  return undefined;
}
