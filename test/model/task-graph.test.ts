/** The task graph on its own: references resolved in scope, group edges expanded to tasks, the nearest upstream of a type. */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SpecSource } from '../../src/spec/source.js';
import type { TaskGraphSpec } from '../../src/spec/task-graph-shape.js';
import { nearestUpstream } from '../../src/model/leaf-graph.js';
import { buildTaskGraph } from '../../src/model/task-graph.js';

function graphOf(tasks: object) {
  const spec = { name: 'p', tasks };
  const { source } = SpecSource.parse('p.yaml', stringify(spec));
  return buildTaskGraph(source, spec as unknown as TaskGraphSpec);
}

const sorted = (ids: Iterable<string> | undefined): string[] => [...(ids ?? [])].sort();

describe('the task graph', () => {
  it.each([
    [
      'a reference inside a group means the sibling first',
      { a: { type: 'empty' }, g: { type: 'group', tasks: { a: { type: 'empty' }, b: { type: 'empty', after: ['a'] } } } },
      { 'g.b': ['g.a'] },
    ],
    [
      'an edge to a group lands on each of its tasks',
      { g: { type: 'group', tasks: { x: { type: 'empty' }, y: { type: 'empty' } } }, t: { type: 'empty', after: ['g'] } },
      { t: ['g.x', 'g.y'] },
    ],
    [
      "a group's after reaches every task inside it",
      { s: { type: 'empty' }, g: { type: 'group', after: ['s'], tasks: { x: { type: 'empty' } } } },
      { 'g.x': ['s'] },
    ],
    [
      'a task mapped over another runs after it, and after its input',
      { b: { type: 'bookmark', source: 's3://b/p/' }, r: { type: 'python', callable: 'm:f' }, l: { type: 'bash', command: 'x', for_each: { from: 'r' } }, d: { type: 'dq_check', input: 'b', ruleset: 'Rules = [ RowCount > 0 ]' } },
      { l: ['r'], d: ['b'] },
    ],
  ] as const)('%s', (_name, tasks, want) => {
    const { graph, diagnostics } = graphOf(tasks);
    expect(diagnostics).toEqual([]);
    for (const [id, ups] of Object.entries(want)) expect(sorted(graph.upstream.get(id))).toEqual([...ups].sort());
  });

  it('keeps the references of a task as written, groups as groups, its input last', () => {
    const { references } = graphOf({ g: { type: 'group', tasks: { b: { type: 'bookmark', source: 's3://b/p/' } } }, s: { type: 'empty' }, d: { type: 'dq_check', after: ['g', 's'], input: 'g.b', ruleset: 'Rules = [ RowCount > 0 ]' } });
    expect(references.upstreamOf.get('d')).toEqual(['g', 's', 'g.b']);
    expect(references.inputOf.get('d')).toBe('g.b');
  });

  it.each([
    ['the closest of the preferred types', { b: { type: 'bookmark', source: 's3://b/p/' }, q: { type: 'dq_check', after: ['b'], ruleset: 'Rules = [ RowCount > 0 ]' }, e: { type: 'empty', after: ['q'] }, t: { type: 'empty', after: ['e'] } }, ['dq_check', 'bookmark'], 'q'],
    ['the first type wins at equal distance', { b: { type: 'bookmark', source: 's3://b/p/' }, q: { type: 'dq_check', ruleset: 'Rules = [ RowCount > 0 ]' }, t: { type: 'empty', after: ['b', 'q'] } }, ['bookmark', 'dq_check'], 'b'],
    ['none upstream', { b: { type: 'bookmark', source: 's3://b/p/' }, t: { type: 'empty' } }, ['bookmark'], undefined],
  ] as const)('nearest upstream: %s', (_name, tasks, types, want) => {
    expect(nearestUpstream(graphOf(tasks).graph, 't', types)).toBe(want);
  });
});

describe('an unknown task reference', () => {
  it.each([
    ['two letters swapped', { gate: { type: 'empty' }, t: { type: 'empty', after: ['gaet'] } }, 'gate'],
    ['a letter missing', { extract: { type: 'empty' }, t: { type: 'empty', after: ['extrct'] } }, 'extract'],
    ['a task in a group, by its own name', { g: { type: 'group', tasks: { load_orders: { type: 'empty' } } }, t: { type: 'empty', after: ['laod_orders'] } }, 'load_orders'],
  ])('%s: did you mean', (_name, tasks, want) => {
    const { diagnostics } = graphOf(tasks);
    expect(diagnostics.map((d) => d.code)).toEqual(['graph.unknown-task']);
    expect(diagnostics[0]?.message).toContain(`did you mean "${want}"?`);
  });

  it('suggests nothing far from every task', () => {
    const { diagnostics } = graphOf({ gate: { type: 'empty' }, t: { type: 'empty', after: ['publish'] } });
    expect(diagnostics[0]?.message).toBe('unknown task "publish"');
  });
});
