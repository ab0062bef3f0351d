/**
 * A spec's task graph: the references between its tasks resolved, and the leaf graph they
 * make checked for cycles. It reads only the graph fields, so it also runs on a spec the
 * schema rejected for other reasons (compile/compile-spec.ts).
 */
import type { SpecDiagnostic } from '../spec/diagnostics.js';
import type { SpecSource } from '../spec/source.js';
import type { TaskGraphSpec } from '../spec/task-graph-shape.js';
import { flattenTasks, type SpecEntry } from './flatten.js';
import { buildLeafGraph, checkCycles, type LeafGraph } from './leaf-graph.js';
import { resolveReferences, type References } from './references.js';

export interface TaskGraph {
  /** Every task and group of the spec, in definition order. */
  readonly entries: readonly SpecEntry[];
  readonly byId: ReadonlyMap<string, SpecEntry>;
  readonly references: References;
  readonly graph: LeafGraph;
}

export function buildTaskGraph(source: SpecSource, spec: TaskGraphSpec): TaskGraph & { diagnostics: SpecDiagnostic[] } {
  const entries = flattenTasks(spec.tasks);
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const { references, diagnostics } = resolveReferences({ source, entries, byId }, spec.name);
  const graph = buildLeafGraph(entries, byId, references);
  diagnostics.push(...checkCycles(source, graph, byId));
  return { entries, byId, references, graph, diagnostics };
}
