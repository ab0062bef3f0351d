/**
 * Assets both ways (issue 10, point 12): a schedule on any-of / all-of asset conditions, or on
 * assets or time; tasks that declare the assets they update (`outlets`), a load its table's.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { generateDag } from '../../src/generator/generate.js';
import type { PipelineModel } from '../../src/model/types.js';
import { checkAssetUri } from '../../src/spec/asset-uri.js';
import { SourceText } from '../../src/diagnostics/source-text.js';
import { publishedSchema } from '../../src/spec/schema.js';

const VERSIONS = ['2.10', '2.11', '3.0', '3.1'] as const;
const LOAD = { type: 'load', warehouse: 'analytics', table: 'analytics.orders', mode: 'append', input: 'make' };
const MAKE = { type: 'python', callable: 'jobs:make' };

function compile(schedule: unknown, airflow: string, tasks: object = { a: { type: 'empty' } }, extra: object = {}) {
  const spec = { apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule, start_date: '2026-01-01', ...extra, tasks };
  const text = stringify(spec);
  return { text, result: compileSpec('p.yaml', text, { airflowVersion: airflow }) };
}

function dagSource(schedule: unknown, airflow: string, tasks?: object, extra?: object): string {
  const { result } = compile(schedule, airflow, tasks, extra);
  expect(result.diagnostics).toEqual([]);
  return generateDag(result.model as PipelineModel, 'p.yaml');
}

/** The source with ruff's line breaks undone, to compare an expression on one line. */
const flatPython = (source: string): string => source.replace(/([([])\s+/g, '$1').replace(/,\s*([)\]])/g, '$1').replace(/\s+/g, ' ');

const lineOf = (text: string, offset: number): number => new SourceText(text).locate(offset).line;

describe('the asset condition of a schedule', () => {
  it.each([
    ['a list means all of them', { assets: ['s3://b/a', 's3://b/c'] }, { kind: 'all', of: [{ kind: 'asset', uri: 's3://b/a' }, { kind: 'asset', uri: 's3://b/c' }] }],
    ['any of', { assets: { any: ['s3://b/a', 's3://b/c'] } }, { kind: 'any', of: [{ kind: 'asset', uri: 's3://b/a' }, { kind: 'asset', uri: 's3://b/c' }] }],
    [
      'nested',
      { assets: { all: ['s3://b/a', { any: ['s3://b/c', 'x-feed://d'] }] } },
      { kind: 'all', of: [{ kind: 'asset', uri: 's3://b/a' }, { kind: 'any', of: [{ kind: 'asset', uri: 's3://b/c' }, { kind: 'asset', uri: 'x-feed://d' }] }] },
    ],
    ['a condition in a list', { assets: ['s3://b/a', { any: ['s3://b/c'] }] }, { kind: 'all', of: [{ kind: 'asset', uri: 's3://b/a' }, { kind: 'any', of: [{ kind: 'asset', uri: 's3://b/c' }] }] }],
  ] as const)('%s', (_name, schedule, condition) => {
    const { result } = compile(schedule, '3.1');
    expect(result.diagnostics).toEqual([]);
    expect(result.model?.schedule).toEqual({ kind: 'assets', condition });
  });

  it('with a cron or every it is assets or time, the time part as without assets', () => {
    const { result } = compile({ cron: '@hourly', semantics: 'trigger', assets: ['s3://b/a'] }, '3.1');
    expect(result.model?.schedule).toEqual({
      kind: 'assets-or-time',
      condition: { kind: 'all', of: [{ kind: 'asset', uri: 's3://b/a' }] },
      time: { kind: 'cron', cron: '0 * * * *', semantics: 'trigger' },
    });
    expect(compile({ every: '30m', assets: { any: ['s3://b/a'] } }, '2.10').result.model?.schedule).toEqual({
      kind: 'assets-or-time',
      condition: { kind: 'any', of: [{ kind: 'asset', uri: 's3://b/a' }] },
      time: { kind: 'every', seconds: 1800, semantics: 'interval' },
    });
  });
});

describe('the generated asset schedule', () => {
  it('a list of assets stays the list Airflow reads as all of them', () => {
    expect(dagSource({ assets: ['s3://b/a', 's3://b/c'] }, '2.10')).toContain('schedule=[Dataset("s3://b/a"), Dataset("s3://b/c")],');
    expect(dagSource({ assets: { all: ['s3://b/a', 's3://b/c'] } }, '3.0')).toContain('schedule=[Asset("s3://b/a"), Asset("s3://b/c")],');
  });

  it.each([
    ['2.10', 'from airflow.datasets import Dataset, DatasetAll, DatasetAny', 'DatasetAny(Dataset("s3://b/a"), DatasetAll(Dataset("s3://b/c"), Dataset("s3://b/d")))'],
    ['2.11', 'from airflow.datasets import Dataset, DatasetAll, DatasetAny', 'DatasetAny(Dataset("s3://b/a"), DatasetAll(Dataset("s3://b/c"), Dataset("s3://b/d")))'],
    ['3.0', 'from airflow.sdk import DAG, Asset, AssetAll, AssetAny', 'AssetAny(Asset("s3://b/a"), AssetAll(Asset("s3://b/c"), Asset("s3://b/d")))'],
    ['3.1', 'from airflow.sdk import DAG, Asset, AssetAll, AssetAny', 'AssetAny(Asset("s3://b/a"), AssetAll(Asset("s3://b/c"), Asset("s3://b/d")))'],
  ] as const)('any-of and all-of on %s', (version, imports, want) => {
    const source = dagSource({ assets: { any: ['s3://b/a', { all: ['s3://b/c', 's3://b/d'] }] } }, version);
    expect(source).toContain(imports);
    expect(flatPython(source)).toContain(`schedule=${want},`);
  });

  it.each([
    ['2.10', 'from airflow.timetables.datasets import DatasetOrTimeSchedule', 'DatasetOrTimeSchedule(timetable=CronDataIntervalTimetable("0 6 * * *", timezone="UTC"), datasets=[Dataset("s3://b/a")])'],
    ['2.11', 'from airflow.timetables.datasets import DatasetOrTimeSchedule', 'DatasetOrTimeSchedule(timetable=CronDataIntervalTimetable("0 6 * * *", timezone="UTC"), datasets=[Dataset("s3://b/a")])'],
    ['3.0', 'from airflow.timetables.assets import AssetOrTimeSchedule', 'AssetOrTimeSchedule(timetable=CronDataIntervalTimetable("0 6 * * *", timezone="UTC"), assets=[Asset("s3://b/a")])'],
    ['3.1', 'from airflow.timetables.assets import AssetOrTimeSchedule', 'AssetOrTimeSchedule(timetable=CronDataIntervalTimetable("0 6 * * *", timezone="UTC"), assets=[Asset("s3://b/a")])'],
  ] as const)('assets or time on %s wraps the same data-interval timetable', (version, imports, want) => {
    const source = dagSource({ cron: '0 6 * * *', assets: ['s3://b/a'] }, version);
    expect(source).toContain(imports);
    expect(source).toContain('from airflow.timetables.interval import CronDataIntervalTimetable');
    expect(flatPython(source)).toContain(`schedule=${want},`);
  });

  it('assets or every, with trigger semantics, from 2.11 on', () => {
    expect(dagSource({ every: '1h', semantics: 'trigger', assets: ['s3://b/a'] }, '2.11')).toContain('timetable=DeltaTriggerTimetable(timedelta(hours=1)),');
    const { result } = compile({ every: '1h', semantics: 'trigger', assets: ['s3://b/a'] }, '2.10');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['airflow.unsupported-feature']);
  });

  it('a URI is a Python string literal, never code', () => {
    const source = dagSource({ assets: ['x-q://a"b\\c\'d'] }, '3.1');
    expect(source).toContain(`Asset("x-q://a\\"b\\\\c'd")`);
  });

  it('is byte for byte the same on every run', () => {
    const schedule = { cron: '@daily', assets: { any: ['s3://b/a', { all: ['s3://b/c', 's3://b/d'] }] } };
    for (const version of VERSIONS) expect(dagSource(schedule, version)).toBe(dagSource(schedule, version));
  });
});

describe('outlets', () => {
  it('a load updates its table asset by default, on every version', () => {
    for (const version of VERSIONS) {
      const { result } = compile(null, version, { make: MAKE, load: LOAD });
      expect(result.model?.tasks.find((t) => t.taskId === 'load')?.outlets).toEqual(['dagwright://analytics/analytics.orders']);
      const asset = version.startsWith('2') ? 'Dataset' : 'Asset';
      expect(generateDag(result.model as PipelineModel, 'p.yaml')).toContain(`outlets=[${asset}("dagwright://analytics/analytics.orders")],`);
    }
  });

  it('outlets: [] opts out, and a load\'s own list replaces the default', () => {
    const none = compile(null, '3.1', { make: MAKE, load: { ...LOAD, outlets: [] } }).result;
    expect(none.model?.tasks.find((t) => t.taskId === 'load')?.outlets).toEqual([]);
    expect(generateDag(none.model as PipelineModel, 'p.yaml')).not.toContain('outlets=');
    const own = compile(null, '3.1', { make: MAKE, load: { ...LOAD, outlets: ['s3://lake/orders'] } }).result;
    expect(own.model?.tasks.find((t) => t.taskId === 'load')?.outlets).toEqual(['s3://lake/orders']);
  });

  it('any task may declare outlets; tasks without them and bookmark commits have none', () => {
    const tasks = { make: { ...MAKE, outlets: ['s3://lake/a', 'x-feed://b'] }, pick: { type: 'bookmark', source: 's3://inbox/p/' }, a: { type: 'empty', after: ['pick'] } };
    const { result } = compile(null, '2.10', tasks);
    expect(result.diagnostics).toEqual([]);
    const outlets = Object.fromEntries((result.model?.tasks ?? []).map((t) => [t.taskId, t.outlets]));
    expect(outlets).toEqual({ make: ['s3://lake/a', 'x-feed://b'], pick: [], a: [], pick_commit: [] });
    expect(generateDag(result.model as PipelineModel, 'p.yaml')).toContain('outlets=[Dataset("s3://lake/a"), Dataset("x-feed://b")],');
  });

  it('a group takes no outlets: its tasks do', () => {
    const { text, result } = compile(null, '3.1', { g: { type: 'group', outlets: ['s3://b/a'], tasks: { a: { type: 'empty' } } } });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['spec.unknown-key']);
    expect(lineOf(text, result.diagnostics[0]?.pos[0] ?? -1)).toBe(lineOf(text, text.indexOf('outlets')));
  });

  it('a URI listed twice is reported where it is', () => {
    const { text, result } = compile(null, '3.1', { a: { type: 'empty', outlets: ['s3://b/a', 's3://b/a'] } });
    expect(result.diagnostics.map((d) => d.message)).toEqual(['"s3://b/a" is listed twice in outlets']);
    expect(lineOf(text, result.diagnostics[0]?.pos[0] ?? -1)).toBe(lineOf(text, text.lastIndexOf('s3://b/a')));
  });
});

describe('asset URIs Airflow would reject or lose part of are located errors', () => {
  it.each([
    ['the reserved scheme', 'airflow://x/y', 'reserved'],
    ['the reserved scheme in capitals', 'AirFlow://x/y', 'reserved'],
    ['user info', 's3://me@b/k', 'user info'],
    ['a fragment', 's3://b/k#part', '#fragment'],
    ['a query', 's3://b/k?v=1', '?query'],
    ['a scheme without an authority', 's3:key', 's3://<authority>/<path>'],
    ['an empty authority', 'dagwright:///x', 'only for file'],
    ['an s3 URI without a bucket', 's3:///key', 'needs a bucket'],
    ['a tab', 's3://b/my\tkey', 'printable ASCII'],
    ['a leading space', ' s3://b/k', 'start or end with a space'],
    ['non-ASCII', 's3://b/café', 'printable ASCII'],
    ['a name Airflow 3 reserves', 'self', 'reserves'],
    ['too long', `s3://b/${'k'.repeat(1500)}`, 'at most 1500'],
  ])('%s', (_name, uri, message) => {
    for (const where of ['schedule', 'outlets'] as const) {
      const { text, result } =
        where === 'schedule'
          ? compile({ cron: '@daily', assets: { any: ['x-ok://k', { all: [uri] }] } }, '3.1')
          : compile(null, '3.1', { a: { type: 'empty', outlets: ['x-ok://k', uri] } });
      const [diagnostic, ...rest] = result.diagnostics;
      expect(rest, where).toEqual([]);
      expect(diagnostic?.code, where).toBe('spec.bad-value');
      expect(diagnostic?.message, where).toContain(message);
      expect(lineOf(text, diagnostic?.pos[0] ?? -1), where).toBe(lineOf(text, text.indexOf(uri.trim().slice(0, 12))));
    }
  });

  it.each(['s3://b/k', 's3://b/', 's3://b/my key', 'file:///data/x.csv', 'x-Feed://A/b/?#', 'X-feed://a', 'orders', 'dagwright://analytics/analytics.orders', 'postgres://h:5432/db/s/t'])(
    '%s is kept as written',
    (uri) => {
      expect(checkAssetUri(uri)).toEqual({ kind: 'kept' });
    },
  );
});

describe('asset URIs Airflow would rewrite without loss are written as Airflow keeps them', () => {
  it.each([
    ['a trailing slash', 's3://b/k/', 's3://b/k', 'removes trailing slashes'],
    ['trailing slashes', 's3://b/k//', 's3://b/k', 'removes trailing slashes'],
    ['an empty path', 's3://b', 's3://b/', 'empty path'],
    ['an upper-case scheme', 'S3://b/k', 's3://b/k', 'lower-cases the scheme'],
  ])('%s', (_name, uri, canonical, why) => {
    for (const version of VERSIONS) {
      const asset = version.startsWith('2') ? 'Dataset' : 'Asset';
      const scheduled = compile({ assets: [uri] }, version).result;
      const { text, result: producing } = compile(null, version, { a: { type: 'empty', outlets: [uri] } });
      for (const result of [scheduled, producing]) {
        expect(result.diagnostics.map((d) => [d.code, d.severity]), version).toEqual([['asset.rewritten', 'warning']]);
        expect(result.diagnostics[0]?.message).toContain(why);
        expect(result.diagnostics[0]?.message).toContain(`is written "${canonical}"`);
      }
      expect(lineOf(text, producing.diagnostics[0]?.pos[0] ?? -1)).toBe(lineOf(text, text.lastIndexOf(uri)));
      expect(generateDag(scheduled.model as PipelineModel, 'p.yaml')).toContain(`schedule=[${asset}("${canonical}")],`);
      expect(generateDag(producing.model as PipelineModel, 'p.yaml')).toContain(`outlets=[${asset}("${canonical}")]`);
    }
  });

  it('two spellings of one URI in outlets are one asset listed twice', () => {
    const { result } = compile(null, '3.1', { a: { type: 'empty', outlets: ['s3://b/k', 's3://b/k/'] } });
    expect(result.diagnostics.map((d) => d.message)).toEqual(['"s3://b/k/" is listed twice in outlets']);
  });
});

describe('asset condition shapes', () => {
  it.each([
    ['an empty any', { assets: { any: [] } }, 'spec.bad-value', 'any'],
    ['an empty list', { assets: [] }, 'spec.wrong-type', 'assets'],
    ['an unknown combinator', { assets: { one_of: ['s3://b/a'] } }, 'spec.unknown-key', 'one_of'],
    ['a number in a condition', { assets: { any: ['s3://b/a', 5] } }, 'spec.wrong-type', '5'],
    ['semantics with assets alone', { assets: ['s3://b/a'], semantics: 'trigger' }, 'spec.wrong-type', 'assets'],
    ['@once with assets', { cron: '@once', assets: ['s3://b/a'] }, 'spec.bad-value', '@once'],
  ] as const)('%s', (_name, schedule, code, near) => {
    const { text, result } = compile(schedule, '3.1');
    expect(result.diagnostics.map((d) => d.code)).toEqual([code]);
    expect(lineOf(text, result.diagnostics[0]?.pos[0] ?? -1)).toBe(lineOf(text, text.indexOf(near)));
  });

  it('the published schema carries the recursive condition', () => {
    const schema = publishedSchema() as { $defs: Record<string, unknown> };
    expect(Object.keys(schema.$defs)).toContain('asset_condition');
    expect(Object.keys(schema.$defs)).toContain('task_load');
  });
});

describe('a pipeline scheduled on an asset it updates', () => {
  it('is warned about at the task, since every run would start another', () => {
    const { text, result } = compile({ cron: '@daily', assets: { any: ['s3://b/x', 'dagwright://analytics/analytics.orders'] } }, '3.1', { make: MAKE, load: LOAD });
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([['asset.self-trigger', 'warning']]);
    expect(result.diagnostics[0]?.message).toContain('task "load" updates asset "dagwright://analytics/analytics.orders"');
    expect(lineOf(text, result.diagnostics[0]?.pos[0] ?? -1)).toBe(lineOf(text, text.indexOf('load:')));
    expect(result.model).toBeDefined();
  });

  it('is not warned about when the load opts out', () => {
    const { result } = compile({ assets: ['dagwright://analytics/analytics.orders'] }, '3.1', { make: MAKE, load: { ...LOAD, outlets: [] } });
    expect(result.diagnostics).toEqual([]);
  });
});

describe('sla with assets or time', () => {
  it('2.x checks it against the time schedule, so it is kept', () => {
    const tasks = { a: { type: 'empty' } };
    const extra = { sla: '30m', on_failure: { sns: 'arn:aws:sns:us-east-1:123456789012:t' } };
    expect(compile({ cron: '@daily', assets: ['s3://b/a'] }, '2.10', tasks, extra).result.diagnostics).toEqual([]);
    expect(compile({ assets: ['s3://b/a'] }, '2.10', tasks, extra).result.diagnostics.map((d) => d.code)).toEqual(['airflow.unsupported-feature']);
  });
});
