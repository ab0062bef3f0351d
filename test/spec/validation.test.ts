import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { SourceText } from '../../src/diagnostics/source-text.js';

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

  it.each([
    ['a zero every', { schedule: { every: '0m' } }, '/schedule/every'],
    ['a zero sla', { sla: '0s' }, '/sla'],
    ['a zero default timeout', { defaults: { timeout: '0h0m' } }, '/defaults/timeout'],
    ['a zero task timeout', { tasks: { a: { type: 'empty', timeout: '00s' } } }, '/tasks/a/timeout'],
    ['a zero poke interval', { tasks: { a: { type: 's3_sensor', bucket: 'b', key: 'k', poke_interval: '0s' } } }, '/tasks/a/poke_interval'],
  ] as const)('rejects %s: a wait, a limit or a period of zero cannot be meant', (_name, patch, path) => {
    const spec = { ...base, tasks: { a: { type: 'empty' } }, ...patch };
    const diagnostics = compileSpec('p.yaml', stringify(spec), {}).diagnostics;
    expect(diagnostics.map((d) => [d.code, d.path])).toEqual([['spec.bad-duration', path]]);
    expect(diagnostics[0]?.message).toMatch(/must be longer than zero/);
  });

  it.each([
    ['an immediate retry', { tasks: { a: { type: 'empty', retry: { attempts: 2, delay: '0s' } } } }],
    ['no tolerance for late objects', { tasks: { a: { type: 'bookmark', source: 's3://bucket/p/', tolerance: '0s' } } }],
    ['a long every with a zero part', { schedule: { every: '1h0m' } }],
  ] as const)('accepts %s', (_name, patch) => {
    expect(codes({ ...base, tasks: { a: { type: 'empty' } }, ...patch })).toEqual([]);
  });

  describe('a logical-date template on an asset schedule', () => {
    // Airflow 3 creates asset-triggered runs with logical_date=None (scheduler_job_runner
    // _create_dag_runs_asset_triggered), and the task context then has no ds, ts,
    // data_interval_start, ... (task_runner.get_template_context): StrictUndefined fails the task.
    const sensor = (key: string) => ({ a: { type: 's3_sensor', bucket: 'b', key } });
    it.each([
      ['{{ ds }}', 'orders/dt={{ ds }}/_SUCCESS'],
      ['ds_nodash in a filter', 'orders/{{ ds_nodash | string }}/_SUCCESS'],
      ['data_interval_start', "orders/{{ data_interval_start.strftime('%H') }}/_SUCCESS"],
      ['dag_run.logical_date (renders None)', 'orders/{{ dag_run.logical_date }}/x'],
      ['a statement', '{% if ts %}x{% endif %}'],
    ])('%s is rejected on 3.x for the runs assets trigger, and kept on 2.x', (_name, key) => {
      for (const schedule of [{ assets: ['s3://b/k'] }, { cron: '@daily', assets: ['s3://b/k'] }]) {
        const spec = { ...base, schedule, tasks: sensor(key) };
        for (const version of ['3.0', '3.1']) {
          const diagnostics = compileSpec('p.yaml', stringify(spec), { airflowVersion: version }).diagnostics;
          expect(diagnostics.map((d) => [d.code, d.path])).toEqual([['airflow.unsupported-feature', '/tasks/a/key']]);
          expect(diagnostics[0]?.message).toMatch('cron' in schedule ? /on Airflow 3\.\d its timed runs have one, the runs that assets trigger do not/ : /Airflow 3\.\d gives a run that assets trigger no logical date/);
        }
        expect(codes(spec, '2.10')).toEqual([]);
        expect(codes(spec, '2.11')).toEqual([]);
      }
    });

    it.each([
      ['a time schedule', { schedule: '@daily', tasks: sensor('orders/dt={{ ds }}/x') }],
      ['a name that only contains ds', { schedule: { assets: ['s3://b/k'] }, tasks: sensor('{{ params.ds_prefix }}/{{ run_id }}') }],
      ['ds outside a template', { schedule: { assets: ['s3://b/k'] }, tasks: sensor('ds/ts/logical_date') }],
      ['a string literal', { schedule: { assets: ['s3://b/k'] }, tasks: sensor("{{ 'ds' }}") }],
      ['the suggested run_after | ds', { schedule: { assets: ['s3://b/k'] }, tasks: sensor('orders/dt={{ dag_run.run_after | ds }}/x') }],
      ['a param named ds', { schedule: { assets: ['s3://b/k'] }, tasks: sensor('{{ params.ds }}/x') }],
      ['a conf key named ds', { schedule: { assets: ['s3://b/k'] }, tasks: sensor('{{ dag_run.conf.ds }}/x') }],
      ['a variable named ts', { schedule: { assets: ['s3://b/k'] }, tasks: sensor('{{ var.value.ts }}/x') }],
      ['the logical date or else the trigger time', { schedule: { cron: '@daily', assets: ['s3://b/k'] }, tasks: sensor('{{ (dag_run.logical_date or dag_run.run_after) | ds }}/x') }],
    ])('accepts %s on 3.x', (_name, patch) => {
      expect(codes({ ...base, ...patch }, '3.0')).toEqual([]);
    });

    it.each([
      ['the suggested run_after | ds', 'orders/dt={{ dag_run.run_after | ds }}/x'],
      ['run_after in a statement', '{% if dag_run.run_after %}x{% endif %}'],
      ['run_after with spaces', "{{ dag_run . run_after.strftime('%Y') }}"],
      ['run_after as a subscript', "{{ dag_run['run_after'] | ds }}"],
    ])('rejects %s on 2.x, whose DagRun has no run_after (StrictUndefined fails the task), pointing at ds', (_name, key) => {
      for (const schedule of [{ assets: ['s3://b/k'] }, '@daily']) {
        const spec = { ...base, schedule, tasks: sensor(key) };
        for (const version of ['2.10', '2.11']) {
          const diagnostics = compileSpec('p.yaml', stringify(spec), { airflowVersion: version }).diagnostics;
          expect(diagnostics.map((d) => [d.code, d.path])).toEqual([['airflow.unsupported-feature', '/tasks/a/key']]);
          expect(diagnostics[0]?.message).toMatch(/Airflow 2\.1\d has no dag_run\.run_after .*\{\{ ds \}\}/);
        }
        expect(codes(spec, '3.0')).toEqual([]);
      }
    });
  });

  it.each([
    ['ds_nodash', 'orders/{{ ds_nodash }}/x', '{{ dag_run.run_after | ds_nodash }}'],
    ['ts', 'orders/{{ ts }}/x', '{{ dag_run.run_after | ts }}'],
    ['logical_date', "orders/{{ logical_date.strftime('%H') }}/x", '{{ dag_run.run_after }}'],
  ])('on 3.x, {{ %s }} on an asset schedule is answered with the run_after form that keeps its meaning', (_name, key, suggestion) => {
    const spec = { ...base, schedule: { assets: ['s3://b/k'] }, tasks: { a: { type: 's3_sensor', bucket: 'b', key } } };
    const [d] = compileSpec('p.yaml', stringify(spec), { airflowVersion: '3.0' }).diagnostics;
    expect(d?.message).toContain(suggestion);
  });

  it('on 3.x, {{ ds }} on an assets-or-time schedule is answered with the form that keeps the timed runs\' dates', () => {
    const spec = { ...base, schedule: { cron: '@daily', assets: ['s3://b/k'] }, tasks: { a: { type: 's3_sensor', bucket: 'b', key: 'orders/{{ ds }}/x' } } };
    const [d] = compileSpec('p.yaml', stringify(spec), { airflowVersion: '3.1' }).diagnostics;
    expect(d?.message).toContain("its timed runs have one, the runs that assets trigger do not");
    expect(d?.message).toContain('{{ (dag_run.logical_date or dag_run.run_after) | ds }}');
  });

  it.each([
    ['execution_date', '{{ execution_date | ds }}', '{{ logical_date }}'],
    ['next_ds', 'orders/{{ next_ds }}/x', '{{ data_interval_end | ds }}'],
    ['yesterday_ds', 'orders/{{ yesterday_ds }}/x', '{{ macros.ds_add(ds, -1) }}'],
    ['prev_ds_nodash', 'orders/{{ prev_ds_nodash }}/x', 'Airflow 3 removed it'],
    ['triggering_dataset_events', '{{ triggering_dataset_events }}', '{{ triggering_asset_events }}'],
  ])('%s, which Airflow 3 removed from the template context, is rejected on 3.x (any schedule) and kept on 2.x', (name, key, suggestion) => {
    const spec = { ...base, schedule: '@daily', tasks: { a: { type: 's3_sensor', bucket: 'b', key } } };
    for (const version of ['3.0', '3.1']) {
      const diagnostics = compileSpec('p.yaml', stringify(spec), { airflowVersion: version }).diagnostics;
      expect(diagnostics.map((d) => [d.code, d.path])).toEqual([['airflow.unsupported-feature', '/tasks/a/key']]);
      expect(diagnostics[0]?.message).toContain(`{{ ${name} }}`);
      expect(diagnostics[0]?.message).toContain(suggestion);
    }
    expect(codes(spec, '2.10')).toEqual([]);
  });

  it('says what a warehouse name is, not the regular expression that checks it', () => {
    const tasks = { b: { type: 'bookmark', source: 's3://bucket/p/' }, l: { type: 'load', warehouse: 'Bad name!', table: 't', mode: 'append', input: 'b' } };
    const [diagnostic] = compileSpec('p.yaml', stringify({ ...base, tasks }), {}).diagnostics;
    expect(diagnostic?.message).toBe('"warehouse" is "Bad name!"; expected a warehouse name: a lower-case letter, then up to 62 lower-case letters, digits, _ or - (the loader\'s DAGWRIGHT_WAREHOUSE_<NAME>)');
  });

  describe('a dq_check ruleset', () => {
    const check = (ruleset: string) => ({ b: { type: 'bookmark', source: 's3://bucket/p/' }, q: { type: 'dq_check', input: 'b', ruleset } });
    it('is parsed: a broken rule is located in the spec', () => {
      const [d] = compileSpec('p.yaml', stringify({ ...base, tasks: check('Rules = [ RowCount > ]') }), {}).diagnostics;
      expect(d).toMatchObject({ code: 'task.dqdl', path: '/tasks/q/ruleset' });
    });

    it.each(['FileFreshness "s3://bucket/p/" > (now() - 1 days)', 'FileSize "s3://bucket/p/" < 10 MB', '(RowCount > 0) and (FileMatch "s3://a/" in ["abc"])'])(
      'refuses a File rule, which the dq service cannot evaluate and so would always fail the gate: %s',
      (rule) => {
        const diagnostics = compileSpec('p.yaml', stringify({ ...base, tasks: check(`Rules = [ ${rule} ]`) }), {}).diagnostics;
        expect(diagnostics.map((d) => [d.code, d.path])).toEqual([['task.dqdl', '/tasks/q/ruleset']]);
        expect(diagnostics[0]?.message).toMatch(/File\w+ inspects S3 files, which the dq service cannot: it would be ERROR and fail the check; run it in AWS Glue Data Quality/);
      },
    );
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
    expect(new SourceText(text).locate(result.diagnostics[0]?.pos[0] ?? 0).line).toBeGreaterThanOrEqual(3);
  });
});
