/** A group's pool, pool_slots, retry, timeout and trigger_rule reach its tasks; the tasks' own win. */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { generateDag } from '../../src/generator/generate.js';
import type { PipelineModel, TaskModel } from '../../src/model/types.js';

function compile(tasks: object, extra: object = {}) {
  const text = stringify({ apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule: '@daily', start_date: '2026-01-01', ...extra, tasks });
  const result = compileSpec('p.yaml', text);
  return { result, diagnostics: result.diagnostics.map((d) => ({ code: d.code, path: d.path })) };
}

function model(tasks: object, extra: object = {}): PipelineModel {
  const { result, diagnostics } = compile(tasks, extra);
  expect(diagnostics).toEqual([]);
  return result.model as PipelineModel;
}

const pick = (m: PipelineModel, id: string): Pick<TaskModel, 'pool' | 'poolSlots' | 'retry' | 'executionTimeoutSeconds' | 'triggerRule'> => {
  const t = m.tasks.find((task) => task.taskId === id) as TaskModel;
  return { pool: t.pool, poolSlots: t.poolSlots, retry: t.retry, executionTimeoutSeconds: t.executionTimeoutSeconds, triggerRule: t.triggerRule };
};

const uniform = (attempts: number, delaySeconds: number, backoff = 'fixed', maxDelaySeconds?: number) => ({ kind: 'uniform', attempts, delaySeconds, backoff, maxDelaySeconds });

describe('fields on a group', () => {
  const tasks = {
    start: { type: 'empty' },
    g: {
      type: 'group',
      after: ['start'],
      pool: 'gpool',
      pool_slots: 2,
      retry: { attempts: 4, delay: '1m' },
      timeout: '10m',
      trigger_rule: 'all_done',
      tasks: {
        first: { type: 'empty' },
        second: { type: 'empty', after: ['first'] },
        own: { type: 'empty', pool: 'mine', pool_slots: 1, retry: { attempts: 1 }, timeout: '1m', trigger_rule: 'one_success' },
        inner: { type: 'group', after: ['first'], pool: 'inner', retry: { delay: '5m' }, tasks: { deep: { type: 'empty' } } },
      },
    },
  };

  it('are defaults of every task inside: the task\'s own fields win, inner groups over outer ones', () => {
    const m = model(tasks, { defaults: { retry: { attempts: 1, delay: '30s' }, timeout: '1h', pool: 'default' } });
    expect(pick(m, 'g.first')).toEqual({ pool: 'gpool', poolSlots: 2, retry: uniform(4, 60), executionTimeoutSeconds: 600, triggerRule: 'all_done' });
    expect(pick(m, 'g.own')).toEqual({ pool: 'mine', poolSlots: 1, retry: uniform(1, 60), executionTimeoutSeconds: 60, triggerRule: 'one_success' });
    expect(pick(m, 'g.inner.deep')).toMatchObject({ pool: 'inner', poolSlots: 2, retry: uniform(4, 300), executionTimeoutSeconds: 600 });
    expect(pick(m, 'start')).toEqual({ pool: 'default', poolSlots: undefined, retry: uniform(1, 30), executionTimeoutSeconds: 3600, triggerRule: undefined });
  });

  it('trigger_rule decides when the group starts: it reaches the first tasks, not the ones that run after a task of the group', () => {
    const m = model(tasks);
    expect(pick(m, 'g.first').triggerRule).toBe('all_done');
    expect(pick(m, 'g.own').triggerRule).toBe('one_success');
    expect(pick(m, 'g.second').triggerRule).toBeUndefined();
    expect(pick(m, 'g.inner.deep').triggerRule).toBeUndefined();
  });

  it('a list of retry policies reaches the tasks that take one, and is refused for the others', () => {
    const policies = [{ on: ['Warehouse'], attempts: 2, delay: '1m' }];
    const load = { type: 'load', warehouse: 'w', table: 't', mode: 'append', input: 'pick' };
    const m = model({ pick: { type: 'bookmark', source: 's3://bucket/p/' }, g: { type: 'group', retry: policies, after: ['pick'], tasks: { load } } });
    expect(pick(m, 'g.load').retry).toEqual({ kind: 'policies', policies: [{ on: ['Warehouse'], attempts: 2, delaySeconds: 60, backoff: 'fixed', maxDelaySeconds: undefined }] });
    const refused = compile({ g: { type: 'group', retry: policies, tasks: { b: { type: 'bash', command: 'x' }, own: { type: 'bash', command: 'x', retry: { attempts: 1 } } } } });
    expect(refused.diagnostics).toEqual([{ code: 'retry.policies-unsupported', path: '/tasks/g/retry' }]);
  });

  it('a group\'s policy codes are checked', () => {
    const { diagnostics } = compile({ g: { type: 'group', retry: [{ on: ['Warehouse.Unavailble'], attempts: 1 }], tasks: { h: { type: 'http', connection: 'c', endpoint: '/' } } } });
    expect(diagnostics).toEqual([{ code: 'retry.unknown-code', path: '/tasks/g/retry/0/on/0' }]);
  });

  it('the generated DAG carries them', () => {
    const dag = generateDag(model(tasks), 'p.yaml');
    expect(dag).toContain('pool="gpool"');
    expect(dag).toContain('trigger_rule="all_done"');
  });
});

describe('the commit task of a bookmark in a group', () => {
  it('takes the bookmark’s retry and timeout (the group’s), as the bookmark does', () => {
    const m = model({
      stage: { type: 'group', timeout: '10m', retry: { attempts: 1, delay: '1m' }, tasks: { bm: { type: 'bookmark', source: 's3://bucket/in/' } } },
      ld: { type: 'load', after: ['stage'], input: 'stage.bm', warehouse: 'w', table: 't', mode: 'append' },
    }, { defaults: { timeout: '2h' } });
    const commit = m.tasks.find((t) => t.details.type === 'bookmark_commit') as TaskModel;
    expect({ retry: commit.retry, executionTimeoutSeconds: commit.executionTimeoutSeconds }).toEqual({ retry: uniform(1, 60), executionTimeoutSeconds: 600 });
  });
});
