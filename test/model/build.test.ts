import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { generateDag } from '../../src/generator/generate.js';
import type { PipelineModel, TaskModel } from '../../src/model/types.js';

function model(tasks: object, extra: object = {}): PipelineModel {
  const spec = { apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule: '@daily', start_date: '2026-01-01', ...extra, tasks };
  const result = compileSpec('p.yaml', stringify(spec));
  expect(result.diagnostics).toEqual([]);
  return result.model as PipelineModel;
}

const task = (m: PipelineModel, id: string): TaskModel => m.tasks.find((t) => t.taskId === id) as TaskModel;

describe('the PipelineModel', () => {
  it('resolves defaults once: tasks inherit them and override field by field', () => {
    const m = model(
      { a: { type: 'empty' }, b: { type: 'empty', retry: { attempts: 5 }, timeout: '10m', pool: 'p2' } },
      { defaults: { retry: { attempts: 3, delay: '2m', backoff: 'exponential', max_delay: '30m' }, timeout: '1h', pool: 'warehouse' } },
    );
    expect(task(m, 'a').retry).toEqual({ kind: 'uniform', attempts: 3, delaySeconds: 120, backoff: 'exponential', maxDelaySeconds: 1800 });
    expect(task(m, 'b').retry).toEqual({ kind: 'uniform', attempts: 5, delaySeconds: 120, backoff: 'exponential', maxDelaySeconds: 1800 });
    expect([task(m, 'a').executionTimeoutSeconds, task(m, 'b').executionTimeoutSeconds]).toEqual([3600, 600]);
    expect([task(m, 'a').pool, task(m, 'b').pool]).toEqual(['warehouse', 'p2']);
  });

  it('gives sensors a sensor timeout instead of an execution timeout', () => {
    const m = model({ s: { type: 's3_sensor', bucket: 'b', key: 'k', timeout: '2h' } }, { defaults: { timeout: '1h' } });
    const sensor = task(m, 's');
    expect(sensor.executionTimeoutSeconds).toBeUndefined();
    expect(sensor.details).toMatchObject({ type: 's3_sensor', sensorTimeoutSeconds: 7200, mode: 'deferrable' });
  });

  it('adds a bookmark commit after the bookmark and every task below it', () => {
    const m = model({
      pick: { type: 'bookmark', source: 's3://bucket/p/' },
      check: { type: 'dq_check', ruleset: 'Rules = [ RowCount > 0 ]', after: ['pick'] },
      load: { type: 'load', warehouse: 'w', table: 't', mode: 'append', after: ['check'] },
      archive: { type: 'empty', after: ['pick'] },
      unrelated: { type: 'empty' },
    });
    const commit = task(m, 'pick_commit');
    expect(commit.upstream).toEqual(['pick', 'check', 'load', 'archive']);
    expect(commit.triggerRule).toBe('none_failed');
    expect(commit.details).toEqual({ type: 'bookmark_commit', bookmark: 'p.pick', connection: undefined });
    expect(m.tasks.at(-1)?.taskId).toBe('pick_commit');
  });

  // A task that runs whatever happened upstream (all_done, one_failed, always, ...) must not
  // hide a failed load from the commit: the commit waits on every task after the bookmark.
  it.each([
    ['a notify that runs when all is done', { notify: { type: 'empty', after: ['load'], trigger_rule: 'all_done' } }, ['pick', 'load', 'notify']],
    ['an alert that runs on a failure', { alert: { type: 'empty', after: ['load'], trigger_rule: 'one_failed' } }, ['pick', 'load', 'alert']],
    ['a task mapped over a list made from the batch', { files: { type: 'python', callable: 'm:files', after: ['pick'] }, each: { type: 'python', callable: 'm:f', for_each: { from: 'files' }, trigger_rule: 'always' } }, ['pick', 'load', 'files', 'each']],
    ['a bookmark with nothing after it', null, ['pick']],
  ])('%s: the commit waits on every task from the bookmark on', (_name, extra, want) => {
    const tasks = extra === null
      ? { pick: { type: 'bookmark', source: 's3://bucket/p/' } }
      : { pick: { type: 'bookmark', source: 's3://bucket/p/' }, load: { type: 'load', warehouse: 'w', table: 't', mode: 'append', after: ['pick'] }, ...extra };
    const commit = task(model(tasks), 'pick_commit');
    expect(commit.upstream).toEqual(want);
    expect(commit.triggerRule).toBe('none_failed');
  });

  it('puts the commit in the innermost group holding the bookmark and every task after it', () => {
    // Inside the group: a group's last tasks are its tasks with nothing after them in the
    // group, so a commit there would be wired before `after_all`, which it waits on: a cycle.
    const m = model({
      ingest: {
        type: 'group',
        tasks: {
          pick: { type: 'bookmark', source: 's3://bucket/p/' },
          load: { type: 'load', warehouse: 'w', table: 't', mode: 'append', after: ['pick'] },
        },
      },
      after_all: { type: 'empty', after: ['ingest'], trigger_rule: 'all_done' },
    });
    const commit = task(m, 'ingest_pick_commit');
    expect(commit.groupId).toBeUndefined();
    expect(commit.upstream).toEqual(['ingest.pick', 'ingest.load', 'after_all']);
    const inner = model({
      ingest: { type: 'group', tasks: { pick: { type: 'bookmark', source: 's3://bucket/p/' }, load: { type: 'load', warehouse: 'w', table: 't', mode: 'append', after: ['pick'] } } },
    });
    expect(task(inner, 'ingest.pick_commit')).toMatchObject({ groupId: 'ingest', upstream: ['ingest.pick', 'ingest.load'] });
  });

  it('writes the commit\'s upstream tasks as one list', () => {
    const m = model({
      pick: { type: 'bookmark', source: 's3://bucket/p/' },
      load: { type: 'load', warehouse: 'w', table: 't', mode: 'append', after: ['pick'] },
      notify: { type: 'empty', after: ['load'], trigger_rule: 'all_done' },
    });
    expect(generateDag(m, 'p.yaml')).toContain('\n    [pick, load, notify] >> pick_commit\n');
  });

  it('finds the data a load reads: the nearest dq_check, else the nearest bookmark', () => {
    const m = model({
      pick: { type: 'bookmark', source: 's3://bucket/p/' },
      check: { type: 'dq_check', ruleset: 'Rules = [ RowCount > 0 ]', after: ['pick'] },
      load: { type: 'load', warehouse: 'w', table: 't', mode: 'append', after: ['check'] },
      raw_load: { type: 'load', warehouse: 'w', table: 't', mode: 'append', after: ['pick'] },
    });
    expect(task(m, 'check').details).toMatchObject({ inputTaskId: 'pick' });
    expect(task(m, 'load').details).toMatchObject({ inputTaskId: 'check' });
    expect(task(m, 'raw_load').details).toMatchObject({ inputTaskId: 'pick' });
  });

  it('runs a task after the task named as its input', () => {
    const m = model({ make: { type: 'python', callable: 'm:f' }, load: { type: 'load', warehouse: 'w', table: 't', mode: 'append', input: 'make' } });
    expect(task(m, 'load').upstream).toEqual(['make']);
  });

  it('turns a list of policies into per-error retries handled by the operator', () => {
    const m = model({ h: { type: 'http', connection: 'c', endpoint: '/', retry: [{ on: ['HTTP.503'], attempts: 2, delay: '30s', backoff: 'exponential', max_delay: '5m' }] } });
    expect(task(m, 'h').retry).toEqual({
      kind: 'policies',
      policies: [{ on: ['HTTP.503'], attempts: 2, delaySeconds: 30, backoff: 'exponential', maxDelaySeconds: 300 }],
    });
  });

  it('puts the run-level SLA on the tasks that finish a run, on Airflow 2 only', () => {
    const tasks = { a: { type: 'empty' }, b: { type: 'empty', after: ['a'] }, c: { type: 'empty', after: ['a'] } };
    const on2 = model(tasks, { sla: '45m', airflow: '2.10' });
    expect(on2.tasks.map((t) => [t.taskId, t.slaSeconds])).toEqual([['a', undefined], ['b', 2700], ['c', 2700]]);
    const on31 = model(tasks, { sla: '45m', airflow: '3.1' });
    expect(on31.tasks.every((t) => t.slaSeconds === undefined)).toBe(true);
    expect(on31.slaSeconds).toBe(2700);
  });

  it('resolves references inside groups innermost first, and by full id', () => {
    const m = model({
      a: { type: 'empty' },
      g: { type: 'group', tasks: { a: { type: 'empty' }, b: { type: 'empty', after: ['a'] }, c: { type: 'empty', after: ['g2.x'] } } },
      g2: { type: 'group', tasks: { x: { type: 'empty' } } },
    });
    expect(task(m, 'g.b').upstream).toEqual(['g.a']);
    expect(task(m, 'g.c').upstream).toEqual(['g2.x']);
  });
});
