import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';
import type { PipelineModel, TaskModel } from '../../src/model/types.js';

const base = { apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule: '@daily', start_date: '2026-01-01' };
const REGIONS = ['us', 'eu', 'apac'];
const pick = (extra: object = {}): object => ({ type: 'bookmark', source: 's3://sales/{{ item }}/', for_each: REGIONS, ...extra });
const check = (extra: object = {}): object => ({ type: 'dq_check', ruleset: 'Rules = [ RowCount > 0 ]', ...extra });
const load = (extra: object = {}): object => ({ type: 'load', warehouse: 'w', table: 't', mode: 'append', ...extra });

function compile(tasks: object): { diagnostics: { code: string; at: string }[]; model: PipelineModel | undefined } {
  const text = stringify({ ...base, tasks });
  const result = compileSpec('p.yaml', text);
  // Each diagnostic with the spec text it points at, so the tests check where, not wording.
  const diagnostics = result.diagnostics.map((d) => ({ code: d.code, at: text.slice(d.pos[0], d.pos[1]) }));
  return { diagnostics, model: result.model };
}

const task = (m: PipelineModel | undefined, id: string): TaskModel => m?.tasks.find((t) => t.taskId === id) as TaskModel;

describe('for_each on service tasks', () => {
  it('maps a load over values, reading a templated S3 source directly', () => {
    const { diagnostics, model } = compile({ load_region: load({ for_each: REGIONS, source: 's3://sales/{{ item }}/dt={{ ds }}/' }) });
    expect(diagnostics).toEqual([]);
    expect(task(model, 'load_region').forEach).toEqual({ kind: 'values', values: REGIONS });
    expect(task(model, 'load_region').details).toMatchObject({ type: 'load', source: 's3://sales/{{ item }}/dt={{ ds }}/', inputTaskId: undefined, inputMapped: false });
  });

  it('gives each copy of a mapped bookmark its own bookmark, and maps its commit the same way', () => {
    const { diagnostics, model } = compile({
      pick: pick(),
      check: check({ after: ['pick'], for_each: REGIONS }),
      load: load({ after: ['check'], for_each: REGIONS }),
      audit: { type: 'empty', after: ['load'], trigger_rule: 'all_done' },
    });
    expect(diagnostics).toEqual([]);
    expect(task(model, 'pick').details).toMatchObject({ bookmark: 'p.pick.{{ item }}' });
    const commit = task(model, 'pick_commit');
    expect(commit.details).toEqual({ type: 'bookmark_commit', bookmark: 'p.pick.{{ item }}', connection: undefined });
    expect(commit.forEach).toEqual({ kind: 'values', values: REGIONS });
    // Each commit copy waits for every copy of everything after the bookmark.
    expect(commit.upstream).toEqual(['pick', 'check', 'load', 'audit']);
    expect(task(model, 'check').details).toMatchObject({ inputTaskId: 'pick', inputMapped: true });
    expect(task(model, 'load').details).toMatchObject({ inputTaskId: 'check', inputMapped: true });
  });

  it('maps over an upstream task\'s output, and matches copies by the task mapped over', () => {
    const { diagnostics, model } = compile({
      regions: { type: 'python', callable: 'm:regions' },
      pick: pick({ for_each: { from: 'regions' } }),
      load: load({ after: ['pick'], for_each: { from: 'regions', max_parallel: 2 } }),
    });
    expect(diagnostics).toEqual([]);
    expect(task(model, 'pick_commit').forEach).toEqual({ kind: 'upstream', from: 'regions', maxParallel: undefined });
  });

  it('lets mapped dq_check copies share one unmapped batch (each checks it with its own ruleset)', () => {
    const { diagnostics, model } = compile({ pick: pick({ for_each: undefined, source: 's3://sales/all/' }), check: check({ after: ['pick'], for_each: ['a', 'b'], ruleset: 'Rules = [ ColumnExists "{{ item }}" ]' }) });
    expect(diagnostics).toEqual([]);
    expect(task(model, 'check').details).toMatchObject({ inputTaskId: 'pick', inputMapped: false });
    expect(task(model, 'pick').details).toMatchObject({ bookmark: 'p.pick' });
  });

  it('refuses mapped load copies of one unmapped batch: each would load it into the same table again', () => {
    const { diagnostics } = compile({ pick: pick({ for_each: undefined, source: 's3://sales/all/' }), load: load({ after: ['pick'], for_each: ['a', 'b'] }) });
    expect(diagnostics).toEqual([{ code: 'for_each.mapped-input', at: 'for_each' }]);
  });

  it.each([
    ['an unmapped load after a mapped dq_check', { pick: pick(), check: check({ after: ['pick'], for_each: REGIONS }), load: load({ after: ['check'] }) }, [{ code: 'for_each.mapped-input', at: 'load' }]],
    ['a load mapped over other items', { pick: pick(), load: load({ after: ['pick'], for_each: ['us', 'eu'] }) }, [{ code: 'for_each.mapped-input', at: 'for_each' }]],
    ['the same items in another order', { pick: pick(), load: load({ after: ['pick'], for_each: ['eu', 'us', 'apac'] }) }, [{ code: 'for_each.mapped-input', at: 'for_each' }]],
    ['a dq_check with an explicit mapped input', { pick: pick(), check: check({ input: 'pick' }) }, [{ code: 'for_each.mapped-input', at: 'check' }]],
    ['a boolean item', { load: load({ for_each: ['us', true], source: 's3://bkt/{{ item }}/' }) }, [{ code: 'for_each.bad-item', at: 'true' }]],
    ['a duplicate item', { load: load({ for_each: ['us', 'us'], source: 's3://bkt/{{ item }}/' }) }, [{ code: 'for_each.bad-item', at: 'us' }]],
    ['an empty item', { load: load({ for_each: [''], source: 's3://bkt/{{ item }}/' }) }, [{ code: 'for_each.bad-item', at: '""' }]],
    ['a bookmark item a bookmark name cannot hold', { pick: pick({ for_each: ['us', 'eu west'] }) }, [{ code: 'for_each.bad-item', at: 'eu west' }]],
    ['{{ item }} in an unmapped task', { load: load({ source: 's3://bkt/{{ item }}/' }) }, [{ code: 'for_each.item-unavailable', at: 's3://bkt/{{ item }}/' }]],
    ['{{ item }} in a mapped bash command', { b: { type: 'bash', command: 'echo {{ item }}', for_each: ['a'] } }, [{ code: 'for_each.item-unavailable', at: 'echo {{ item }}' }]],
    ['{{ item }} in a field no operator renders', { load: load({ for_each: ['a'], source: 's3://bkt/x/', connection: 'conn_{{ item }}' }) }, [{ code: 'for_each.item-unavailable', at: 'conn_{{ item }}' }]],
    ['a source that is not s3://', { load: load({ source: 'https://b/x/' }) }, [{ code: 'spec.bad-value', at: 'https://b/x/' }]],
    ['a source and an input', { pick: pick({ for_each: undefined, source: 's3://bkt/p/' }), load: load({ input: 'pick', source: 's3://bkt/x/' }) }, [{ code: 'task.invalid', at: 'source' }]],
    ['aws_conn_id without a source', { pick: pick({ for_each: undefined, source: 's3://bkt/p/' }), load: load({ after: ['pick'], aws_conn_id: 'lake' }) }, [{ code: 'task.invalid', at: 'aws_conn_id' }]],
    ['for_each on a sensor', { s: { type: 's3_sensor', bucket: 'b', key: 'k', for_each: ['a'] } }, [{ code: 'for_each.unsupported', at: 'for_each' }]],
  ])('rejects %s, where it is', (_name, tasks, want) => {
    expect(compile(tasks).diagnostics).toEqual(want);
  });

  // for_each: {from: X} maps over X's return value, which must be a list: only a python task
  // (whatever its callable returns) and an http task (its response's JSON) may return one.
  it.each([
    ['an empty task', { type: 'empty' }],
    ['a notify task (SNS message id)', { type: 'notify', sns: 'arn:aws:sns:us-east-1:123456789012:t', message: 'm' }],
    ['a load (its result object)', load({ source: 's3://bkt/x/' })],
    ['a bookmark (its batch object)', pick({ for_each: undefined, source: 's3://bkt/x/' })],
    ['a dq_check (its result object)', check({ dataset: 's3://bkt/x/' })],
    ['a glue_job (its run id)', { type: 'glue_job', job_name: 'j' }],
    ['a bash task (its last line of output)', { type: 'bash', command: 'echo a' }],
    ['an s3_sensor (nothing)', { type: 's3_sensor', bucket: 'b', key: 'k' }],
  ])('rejects mapping over %s, at its from', (_name, upstream) => {
    const { diagnostics } = compile({ up: upstream, each: { type: 'python', callable: 'm:f', for_each: { from: 'up' } } });
    expect(diagnostics).toEqual([{ code: 'for_each.not-a-list', at: 'up' }]);
  });

  it.each([
    ['a python task', { type: 'python', callable: 'm:regions' }],
    ['an http task', { type: 'http', connection: 'api', endpoint: '/regions' }],
  ])('maps over %s, which may return a list', (_name, upstream) => {
    for (const each of [{ type: 'bash', command: 'echo $ITEM' }, load({ source: 's3://bkt/{{ item }}/' })]) {
      expect(compile({ up: upstream, each: { ...each, for_each: { from: 'up' } } }).diagnostics).toEqual([]);
    }
  });

  it.each([
    ['ti.item', '{{ ti.item }}'],
    ['a quoted key', "{{ params['item'] }}"],
    ['a longer name', '{{ items }}'],
    ['a loop variable of its own', '{% for item in params.regions %}{{ item }} {% endfor %}'],
    ['a loop over pairs', '{% for key, item in params.m.items() %}{{ item }}{% endfor %}'],
  ])('does not take %s for the item', (_name, text) => {
    expect(compile({ n: { type: 'notify', sns: 'arn:aws:sns:us-east-1:123456789012:t', message: text } }).diagnostics).toEqual([]);
  });
});
