/** Small graph algorithms over task ids, independent of specs and Airflow. */

/** Every node reachable from `start` by following `next` (excluding `start`). */
export function reachable(start: string, next: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...next(start)];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...next(id));
  }
  return seen;
}

/**
 * The cycles of a directed graph, each reported once as the path that closes it
 * (`[a, b, c, a]`). `edges` maps a node to the nodes it points to.
 */
export function findCycles(nodes: readonly string[], edges: (id: string) => readonly string[]): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (id: string): void => {
    state.set(id, 'open');
    stack.push(id);
    for (const next of edges(id)) {
      const nextState = state.get(next);
      if (nextState === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (nextState === undefined) visit(next);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of nodes) if (!state.has(id)) visit(id);
  return cycles;
}

/**
 * A stable topological order: nodes keep their given order unless a dependency
 * (`before(id)`: the nodes that must come first) forces otherwise. Assumes no cycles.
 */
export function stableTopologicalOrder(nodes: readonly string[], before: (id: string) => readonly string[]): string[] {
  const placed = new Set<string>();
  const order: string[] = [];
  const place = (id: string, trail: Set<string>): void => {
    if (placed.has(id) || trail.has(id)) return;
    trail.add(id);
    for (const dependency of before(id)) place(dependency, trail);
    placed.add(id);
    order.push(id);
  };
  for (const id of nodes) place(id, new Set());
  return order;
}
