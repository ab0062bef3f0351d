import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/generator/generate.js';
import { LineIndex } from '../../src/spec/format-diagnostic.js';

const base = {
  apiVersion: 'dagwright/v1',
  kind: 'Pipeline',
  name: 'p',
  schedule: '@daily',
  start_date: '2026-01-01',
};

function codes(spec: object, airflow?: string): string[] {
  return compileSpec('p.yaml', stringify(spec), { airflowVersion: airflow }).diagnostics.map((d) => d.code);
}

describe('validation', () => {
  it.each([
    ['a preset schedule', { schedule: '@hourly' }, []],
    ['a cron schedule', { schedule: '*/15 2-5 * * 1-5' }, []],
    ['an every schedule', { schedule: { every: '30m' } }, []],
    ['an asset schedule', { schedule: { assets: ['s3://b/k'] } }, []],
    ['no schedule', { schedule: null }, []],
    ['a six-field cron', { schedule: '0 0 * * * *' }, ['spec.bad-cron']],
    ['a bad every', { schedule: { every: 'often' } }, ['spec.bad-duration']],
    ['an unknown top-level key', { schedul: '@daily' }, ['spec.unknown-key']],
    ['a bad SNS ARN', { on_failure: { sns: 'not-an-arn' } }, ['spec.bad-value']],
    ['an unknown target version', { airflow: '1.10' }, ['airflow.unknown-version']],
    ['a bad time zone', { timezone: 'Mars/Olympus' }, ['spec.bad-value']],
  ] as const)('%s', (_name, patch, want) => {
    expect(codes({ ...base, ...patch, tasks: { a: { type: 'empty' } } })).toEqual(want);
  });

  it.each([
    ['merge without keys', { t: { type: 'load', warehouse: 'w', table: 't', mode: 'merge', input: 'b' }, b: { type: 'bookmark', source: 's3://bucket/p/' } }, ['task.invalid']],
    ['keys without merge', { t: { type: 'load', warehouse: 'w', table: 't', mode: 'append', keys: ['id'], input: 'b' }, b: { type: 'bookmark', source: 's3://bucket/p/' } }, ['task.invalid']],
    ['a load with no data upstream', { t: { type: 'load', warehouse: 'w', table: 't', mode: 'append' } }, ['task.invalid']],
    ['a self dependency', { t: { type: 'empty', after: ['t'] } }, ['graph.self-dependency']],
    ['a task after its own group', { g: { type: 'group', tasks: { t: { type: 'empty', after: ['g'] } } } }, ['graph.cycle']],
    ['a sibling reference inside a group', { g: { type: 'group', tasks: { a: { type: 'empty' }, b: { type: 'empty', after: ['a'] } } } }, []],
    ['a python keyword in an import path', { t: { type: 'python', callable: 'pkg.class:run' } }, ['spec.bad-value']],
    ['for_each on a sensor', { t: { type: 's3_sensor', bucket: 'b', key: 'k', for_each: [1, 2] } }, ['for_each.unsupported']],
    ['for_each from a group', { g: { type: 'group', tasks: { a: { type: 'empty' } } }, t: { type: 'bash', command: 'x', for_each: { from: 'g' } } }, ['task.invalid']],
    ['a commit id taken by a task', { b: { type: 'bookmark', source: 's3://bucket/p/' }, b_commit: { type: 'empty' } }, ['graph.duplicate-task-id']],
    ['policies on a python task', { t: { type: 'python', callable: 'm:f', retry: [{ on: ['X'], attempts: 1 }] } }, ['retry.policies-unsupported']],
    ['a bad error code in a policy', { t: { type: 'http', connection: 'c', endpoint: '/', retry: [{ on: ['not a code'], attempts: 1 }] } }, ['spec.bad-value']],
  ] as const)('%s', (_name, tasks, want) => {
    expect(codes({ ...base, tasks })).toEqual(want);
  });

  it('accepts the sla on targets that can keep it and rejects it where none can', () => {
    const spec = { ...base, sla: '45m', tasks: { a: { type: 'empty' } } };
    expect(codes(spec, '2.10')).toEqual([]);
    expect(codes(spec, '2.11')).toEqual([]);
    expect(codes(spec, '3.1')).toEqual([]);
    expect(codes(spec, '3.0')).toEqual(['airflow.unsupported-feature']);
  });

  it('collects every problem of a spec in one run', () => {
    const text = stringify({ ...base, catchup: 'yes', max_active_runs: 0, tasks: { a: { type: 'bash' }, b: { type: 'nope' } } });
    expect(compileSpec('p.yaml', text).diagnostics.map((d) => d.code).sort()).toEqual(
      ['spec.bad-value', 'spec.missing-key', 'spec.unknown-task-type', 'spec.wrong-type'].sort(),
    );
  });

  it('points a YAML syntax error at its line', () => {
    const text = 'apiVersion: dagwright/v1\nkind: Pipeline\ntasks: [a, b\n';
    const result = compileSpec('p.yaml', text);
    expect(result.diagnostics[0]?.code).toBe('yaml.syntax');
    expect(new LineIndex(text).locate(result.diagnostics[0]?.pos[0] ?? 0).line).toBeGreaterThanOrEqual(3);
  });
});
