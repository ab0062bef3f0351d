/**
 * Schedules mean the same on every Airflow version: a cron, a preset or `every` becomes an
 * explicit timetable, so Airflow 3's `create_cron_data_intervals = False` default cannot turn
 * it into a trigger timetable. The data-interval meaning (2.x's default) is dagwright's
 * default; `semantics: trigger` asks for the trigger timetables.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { generateDag } from '../../src/generator/generate.js';
import type { PipelineModel } from '../../src/model/types.js';
import { SourceText } from '../../src/diagnostics/source-text.js';

const VERSIONS = ['2.10', '2.11', '3.0', '3.1'] as const;

function compile(schedule: unknown, airflow: string, extra: object = {}) {
  const spec = { apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule, start_date: '2026-01-01', ...extra, tasks: { a: { type: 'empty' } } };
  const text = stringify(spec);
  return { text, result: compileSpec('p.yaml', text, { airflowVersion: airflow }) };
}

function dagSource(schedule: unknown, airflow: string, extra: object = {}): string {
  const { result } = compile(schedule, airflow, extra);
  expect(result.diagnostics).toEqual([]);
  return generateDag(result.model as PipelineModel, 'p.yaml');
}

describe('the schedule model', () => {
  it.each([
    ['a preset', '@hourly', { kind: 'cron', cron: '0 * * * *', semantics: 'interval' }],
    ['@quarterly', '@quarterly', { kind: 'cron', cron: '0 0 1 */3 *', semantics: 'interval' }],
    ['a cron string', ' 0  6 * * 1-5 ', { kind: 'cron', cron: '0 6 * * 1-5', semantics: 'interval' }],
    ['a cron map', { cron: '15 * * * *' }, { kind: 'cron', cron: '15 * * * *', semantics: 'interval' }],
    ['a cron map with trigger semantics', { cron: '@daily', semantics: 'trigger' }, { kind: 'cron', cron: '0 0 * * *', semantics: 'trigger' }],
    ['every', { every: '1h30m' }, { kind: 'every', seconds: 5400, semantics: 'interval' }],
    ['every with trigger semantics', { every: '30m', semantics: 'trigger' }, { kind: 'every', seconds: 1800, semantics: 'trigger' }],
    ['@once', '@once', { kind: 'preset', preset: '@once' }],
    ['@continuous', '@continuous', { kind: 'preset', preset: '@continuous' }],
    ['null', null, { kind: 'none' }],
  ] as const)('%s', (_name, given, want) => {
    const { result } = compile(given, '3.1');
    expect(result.diagnostics).toEqual([]);
    expect(result.model?.schedule).toEqual(want);
  });
});

describe('the generated schedule is the same timetable on every version', () => {
  it.each([
    ['a preset', '@hourly', 'CronDataIntervalTimetable("0 * * * *", timezone="UTC")', 'airflow.timetables.interval'],
    ['a cron string', '0 6 * * *', 'CronDataIntervalTimetable("0 6 * * *", timezone="UTC")', 'airflow.timetables.interval'],
    ['every', { every: '1h' }, 'DeltaDataIntervalTimetable(timedelta(hours=1))', 'airflow.timetables.interval'],
    ['cron, trigger semantics', { cron: '@hourly', semantics: 'trigger' }, 'CronTriggerTimetable("0 * * * *", timezone="UTC")', 'airflow.timetables.trigger'],
  ] as const)('%s', (_name, given, want, module) => {
    for (const version of VERSIONS) {
      const source = dagSource(given, version);
      expect(source, version).toContain(`schedule=${want},`);
      expect(source, version).toContain(`from ${module} import ${want.slice(0, want.indexOf('('))}`);
    }
  });

  it('every with trigger semantics is a DeltaTriggerTimetable from 2.11 on', () => {
    for (const version of ['2.11', '3.0', '3.1']) {
      expect(dagSource({ every: '30m', semantics: 'trigger' }, version)).toContain('schedule=DeltaTriggerTimetable(timedelta(minutes=30)),');
    }
  });

  it('the cron timetable keeps the time zone of the spec', () => {
    expect(dagSource('@daily', '3.0', { timezone: 'Europe/Paris' })).toContain('CronDataIntervalTimetable("0 0 * * *", timezone="Europe/Paris")');
  });

  it.each([
    ['@once', '@once', 'schedule="@once",'],
    ['@continuous', '@continuous', 'schedule="@continuous",'],
    ['null', null, 'schedule=None,'],
  ] as const)('%s stays as it is', (_name, given, want) => {
    for (const version of VERSIONS) {
      const source = dagSource(given, version);
      expect(source).toContain(want);
      expect(source).not.toContain('Timetable');
    }
  });

  it('on 3.1 the sla counts from when the run is queued: a scheduled run at its scheduled time, and runs with no logical date too', () => {
    const sla = { sla: '45m' };
    expect(dagSource('@hourly', '3.1', sla)).toContain('reference=DeadlineReference.DAGRUN_QUEUED_AT,');
    expect(dagSource({ every: '1h' }, '3.1', sla)).toContain('reference=DeadlineReference.DAGRUN_QUEUED_AT,');
    expect(dagSource({ cron: '@hourly', semantics: 'trigger' }, '3.1', sla)).toContain('reference=DeadlineReference.DAGRUN_QUEUED_AT,');
    expect(dagSource(null, '3.1', sla)).toContain('reference=DeadlineReference.DAGRUN_QUEUED_AT,');
  });
});

describe('schedule diagnostics', () => {
  const lineOf = (text: string, offset: number): number => new SourceText(text).locate(offset).line;

  it.each([
    ['an unknown semantics', { cron: '@daily', semantics: 'sometimes' }, '3.1', 'spec.bad-value', 'semantics'],
    ['a bad cron in the map', { cron: '61 * * * *' }, '3.1', 'spec.bad-cron', '61 * * * *'],
    ['an unknown preset in the map', { cron: '@dayly' }, '3.1', 'spec.bad-cron', '@dayly'],
    ['@once in the cron map', { cron: '@once', semantics: 'trigger' }, '3.1', 'spec.bad-value', '@once'],
    ['semantics on assets', { assets: ['s3://b/k'], semantics: 'trigger' }, '3.1', 'spec.wrong-type', 'assets'],
    ['every with trigger semantics on 2.10', { every: '30m', semantics: 'trigger' }, '2.10', 'airflow.unsupported-feature', 'trigger'],
  ] as const)('%s', (_name, given, version, code, near) => {
    const { text, result } = compile(given, version);
    expect(result.diagnostics.map((d) => d.code)).toEqual([code]);
    const [diagnostic] = result.diagnostics;
    expect(lineOf(text, diagnostic?.pos[0] ?? -1)).toBe(lineOf(text, text.indexOf(near)));
  });

  it('a cron map with trigger semantics is fine on 2.10 (CronTriggerTimetable exists there)', () => {
    expect(compile({ cron: '0 * * * *', semantics: 'trigger' }, '2.10').result.diagnostics).toEqual([]);
  });
});
