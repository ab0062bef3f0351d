/**
 * What a task's `retry` and `timeout` become on every Airflow version: a sensor's timeout is
 * its wait in all (no Airflow retries), a list of retry policies keeps a few Airflow retries
 * for failures that are not service problems, and a glue_job's timeout reaches Glue itself.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { generateDag } from '../../src/generator/generate.js';
import type { PipelineModel } from '../../src/model/types.js';

const VERSIONS = ['2.10', '2.11', '3.0', '3.1'] as const;

function dagSource(tasks: object, airflow: string, extra: object = {}): string {
  const spec = { apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule: '@daily', start_date: '2026-01-01', ...extra, tasks };
  const result = compileSpec('p.yaml', stringify(spec), { airflowVersion: airflow });
  expect(result.diagnostics.filter((d) => d.severity !== 'warning')).toEqual([]);
  return generateDag(result.model as PipelineModel, 'p.yaml');
}

/** The source of one task's constructor call. */
function taskCall(source: string, id: string): string {
  const start = source.indexOf(`    ${id} = `);
  expect(start, id).toBeGreaterThan(-1);
  return source.slice(start, source.indexOf('\n    )\n', start) + 6);
}

const DEFAULTS = { defaults: { retry: { attempts: 3, delay: '2m', backoff: 'exponential' }, timeout: '1h' } };

describe('a sensor waits its timeout in all: Airflow never retries it', () => {
  it.each([
    ['s3_sensor deferrable', { type: 's3_sensor', bucket: 'b', key: 'k', timeout: '2h' }],
    ['s3_sensor reschedule', { type: 's3_sensor', bucket: 'b', key: 'k', timeout: '2h', mode: 'reschedule' }],
    ['warehouse_available', { type: 'warehouse_available', warehouse: 'w' }],
  ])('%s', (_name, task) => {
    for (const version of VERSIONS) {
      const call = taskCall(dagSource({ wait: task }, version, DEFAULTS), 'wait');
      expect(call, version).toContain('retries=0,');
    }
  });

  it('even with no default retries (MWAA may set default_task_retries)', () => {
    const call = taskCall(dagSource({ wait: { type: 's3_sensor', bucket: 'b', key: 'k' } }, '3.1'), 'wait');
    expect(call).toContain('retries=0,');
  });
});

describe('retry policies keep Airflow retries for failures that are not service problems', () => {
  const load = {
    type: 'load',
    warehouse: 'w',
    table: 't',
    mode: 'append',
    input: 'b',
    after: ['b'],
    retry: [{ on: ['Warehouse'], attempts: 3, delay: '45s' }],
  };
  const tasks = { b: { type: 'bookmark', source: 's3://bucket/p/' }, load };
  it.each(VERSIONS)('%s', (version) => {
    const call = taskCall(dagSource(tasks, version, DEFAULTS), 'load');
    expect(call).toContain('retries=2,');
    expect(call).toContain('retry_delay=timedelta(seconds=45),');
    expect(call).toContain('retry_exponential_backoff=False,');
    expect(call).toContain('retry_policies=[');
  });
});

describe('a glue_job timeout stops the Glue run', () => {
  const glue = { g: { type: 'glue_job', job_name: 'j', timeout: '90m' } };
  it.each(VERSIONS)('%s: Glue Timeout, stop on kill, and a wait outlasting it', (version) => {
    const call = taskCall(dagSource(glue, version), 'g');
    expect(call).toContain('run_job_kwargs={"Timeout": 90},');
    expect(call).toContain('stop_job_run_on_kill=True,');
    // The task waits ten minutes past Glue's Timeout, so it sees the run end as TIMEOUT.
    expect(call).toContain('execution_timeout=timedelta(hours=1, minutes=40),');
  });

  it.each([
    ['3.0', true],
    ['3.1', true],
    ['2.10', false],
    ['2.11', false],
  ] as const)('%s: the provider waiter is sized from the timeout where it has one', (version, sized) => {
    const call = taskCall(dagSource(glue, version), 'g');
    if (sized) expect(call).toContain('waiter_delay=60,\n        waiter_max_attempts=100,');
    else expect(call).not.toContain('waiter_');
  });

  it('a timeout in seconds rounds up to whole minutes for Glue', () => {
    const call = taskCall(dagSource({ g: { type: 'glue_job', job_name: 'j', timeout: '90s' } }, '3.1'), 'g');
    expect(call).toContain('run_job_kwargs={"Timeout": 2},');
  });

  it('without a timeout the waiter outlasts Glue default (48 h)', () => {
    const call = taskCall(dagSource({ g: { type: 'glue_job', job_name: 'j' } }, '3.1'), 'g');
    expect(call).not.toContain('run_job_kwargs');
    expect(call).toContain('waiter_max_attempts=2890,');
  });
});

describe("a sensor's own retry is reported, not silently dropped", () => {
  it('is a warning at the retry key', () => {
    const spec = { apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule: '@daily', start_date: '2026-01-01', tasks: { wait: { type: 's3_sensor', bucket: 'b', key: 'k', retry: { attempts: 2 } } } };
    const result = compileSpec('p.yaml', stringify(spec), { airflowVersion: '3.1' });
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.path])).toEqual([['retry.ignored-on-sensor', 'warning', '/tasks/wait/retry']]);
  });
});

describe('sla holds for every schedule it is accepted with', () => {
  const compile = (schedule: unknown, airflow: string) =>
    compileSpec('p.yaml', stringify({ apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule, start_date: '2026-01-01', sla: '1h', tasks: { a: { type: 'empty' } } }), { airflowVersion: airflow });
  it.each([null, '@once', '@continuous', { assets: ['s3://b/k'] }])('2.x rejects it with schedule %j, where no SLA is ever checked', (schedule) => {
    for (const version of ['2.10', '2.11']) {
      const result = compile(schedule, version);
      expect(result.diagnostics.map((d) => [d.code, d.path]), version).toEqual([['airflow.unsupported-feature', '/sla']]);
    }
  });
  it.each([null, '@once', { assets: ['s3://b/k'] }, '@hourly', { cron: '@daily', semantics: 'trigger' }])('3.1 counts it from when the run is queued, with schedule %j', (schedule) => {
    const result = compile(schedule, '3.1');
    expect(result.diagnostics).toEqual([]);
    expect(generateDag(result.model as PipelineModel, 'p.yaml')).toContain('reference=DeadlineReference.DAGRUN_QUEUED_AT,');
  });
});
