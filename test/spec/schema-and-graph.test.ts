import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';

const base = { apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule: '@daily', start_date: '2026-01-01' };
const bookmark = { type: 'bookmark', source: 's3://bucket/p/' };

function found(spec: object): { code: string; path: string | undefined }[] {
  const result = compileSpec('p.yaml', stringify(spec));
  expect(result.model).toBeUndefined();
  return result.diagnostics.map((d) => ({ code: d.code, path: d.path }));
}

describe('a spec the schema rejects still has its task graph checked', () => {
  it.each([
    [
      'an unknown task beside a bad cron',
      { schedule: '61 * * * *', tasks: { a: { type: 'empty', after: ['nope'] } } },
      [{ code: 'spec.bad-cron', path: '/schedule' }, { code: 'graph.unknown-task', path: '/tasks/a/after/0' }],
    ],
    [
      'a cycle beside a bad field of one of its tasks',
      { tasks: { a: { type: 'empty', after: ['b'], timeout: 'soon' }, b: { type: 'empty', after: ['a'] } } },
      [{ code: 'spec.bad-duration', path: '/tasks/a/timeout' }, { code: 'graph.cycle', path: '/tasks/a/after' }],
    ],
    [
      'an input naming a group beside a missing key of the same task',
      { tasks: { g: { type: 'group', tasks: { b: bookmark } }, t: { type: 'load', table: 't', mode: 'append', input: 'g' } } },
      [{ code: 'spec.missing-key', path: '/tasks/t' }, { code: 'task.invalid', path: '/tasks/t/input' }],
    ],
    [
      'a self-dependency inside a group beside an unknown top-level key',
      { schedul: '@daily', tasks: { g: { type: 'group', tasks: { a: { type: 'empty', after: ['a'] } } } } },
      [{ code: 'spec.unknown-key', path: '/schedul' }, { code: 'graph.self-dependency', path: '/tasks/g/tasks/a/after/0' }],
    ],
  ] as const)('%s', (_name, patch, want) => {
    expect(found({ ...base, ...patch })).toEqual(want);
  });

  it.each([
    ['an after that is not a list', { a: { type: 'empty', after: 'nope' } }, ['spec.wrong-type']],
    ['an unknown task type', { a: { type: 'nope', after: ['missing'] } }, ['spec.unknown-task-type']],
    ['an input on a task type that takes none', { a: { type: 'bash', command: 'x', input: 'missing' } }, ['spec.unknown-key']],
    ['a bad for_each', { a: { type: 'bash', command: 'x', for_each: { from: 'missing', max_parallel: 0 } } }, ['spec.bad-value']],
    ['a task that is not a mapping', { a: 'empty', b: { type: 'empty', after: ['missing'] } }, ['spec.wrong-type']],
  ] as const)('but not where the graph fields themselves are wrong: %s', (_name, tasks, want) => {
    expect(found({ ...base, tasks }).map((d) => d.code)).toEqual(want);
  });

  it('nor without a name to build bookmark names from', () => {
    expect(found({ ...base, name: 7, tasks: { a: { type: 'empty', after: ['missing'] } } }).map((d) => d.code)).toEqual(['spec.wrong-type']);
  });
});

describe('an unknown task in after', () => {
  it('is the one problem of a load after it: it may be the upstream the load reads, once named right', () => {
    const tasks = { bm: bookmark, ld: { type: 'load', after: ['gate'], warehouse: 'wh', table: 't', mode: 'append' } };
    expect(found({ ...base, tasks })).toEqual([{ code: 'graph.unknown-task', path: '/tasks/ld/after/0' }]);
  });

  it('and a load after known tasks none of which has data is still told it needs data', () => {
    const tasks = { e: { type: 'empty' }, ld: { type: 'load', after: ['e'], warehouse: 'wh', table: 't', mode: 'append' } };
    expect(found({ ...base, tasks })).toEqual([{ code: 'task.invalid', path: '/tasks/ld' }]);
  });
});
