/** Spec values a service would refuse at run time are refused by `dagwright validate`, located. */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';

function diagnostics(tasks: object): { code: string; path: string | undefined; at: string; severity?: string }[] {
  const text = stringify({ apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule: '@daily', start_date: '2026-01-01', tasks });
  return compileSpec('p.yaml', text).diagnostics.map((d) => ({ code: d.code, path: d.path, at: text.slice(d.pos[0], d.pos[1]), ...(d.severity ? { severity: d.severity } : {}) }));
}

const pick = { type: 'bookmark', source: 's3://bucket/p/' };
const check = (onViolation: string) => ({ type: 'dq_check', after: ['pick'], ruleset: 'Rules = [ RowCount > 0 ]', on_violation: onViolation });
const load = (format?: string) => ({ type: 'load', after: ['check'], warehouse: 'w', table: 't', mode: 'append', ...(format ? { format } : {}) });

describe('a format on the output of a quarantining dq_check', () => {
  it.each([
    ['csv after quarantine', 'quarantine', 'csv', [{ code: 'task.format-mismatch', path: '/tasks/load/format', at: 'csv' }]],
    ['json after quarantine', 'quarantine', 'json', [{ code: 'task.format-mismatch', path: '/tasks/load/format', at: 'json' }]],
    ['parquet after quarantine', 'quarantine', 'parquet', []],
    ['no format after quarantine', 'quarantine', undefined, []],
    ['csv after fail (the input is handed on)', 'fail', 'csv', []],
    ['csv after warn', 'warn', 'csv', []],
  ])('%s', (_name, onViolation, format, want) => {
    expect(diagnostics({ pick, check: check(onViolation), load: load(format) })).toEqual(want);
  });

  it('a dq_check reading a quarantining one', () => {
    const second = { type: 'dq_check', input: 'check', ruleset: 'Rules = [ RowCount > 0 ]', format: 'csv' };
    expect(diagnostics({ pick, check: check('quarantine'), second })).toEqual([{ code: 'task.format-mismatch', path: '/tasks/second/format', at: 'csv' }]);
  });
});

describe('a format that contradicts the data it names', () => {
  it.each([
    ['a dq_check of a .parquet object said to be csv', { q: { type: 'dq_check', dataset: 's3://bucket/x/data.parquet', format: 'csv', ruleset: 'Rules = [ RowCount > 0 ]' } }, [{ code: 'task.format-mismatch', path: '/tasks/q/format', at: 'csv' }]],
    ['a load of a .csv.gz object said to be parquet', { l: { type: 'load', source: 's3://bucket/y/file-{{ ds }}.csv.gz', format: 'parquet', warehouse: 'w', table: 't', mode: 'append' } }, [{ code: 'task.format-mismatch', path: '/tasks/l/format', at: 'parquet' }]],
    ['a .jsonl object said to be json (JSON lines)', { q: { type: 'dq_check', dataset: 's3://bucket/x/a.jsonl', format: 'json', ruleset: 'Rules = [ RowCount > 0 ]' } }, []],
    ['a prefix: its objects say', { q: { type: 'dq_check', dataset: 's3://bucket/x.parquet/', format: 'csv', ruleset: 'Rules = [ RowCount > 0 ]' } }, []],
    ['a name without an extension', { q: { type: 'dq_check', dataset: 's3://bucket/x/part-0', format: 'csv', ruleset: 'Rules = [ RowCount > 0 ]' } }, []],
  ])('%s', (_name, tasks, want) => {
    expect(diagnostics(tasks)).toEqual(want);
  });

  it('a load of the batch a non-quarantining dq_check read, in another format than the check’s', () => {
    const checked = { ...check('fail'), format: 'parquet' };
    expect(diagnostics({ pick, check: checked, load: load('csv') })).toEqual([{ code: 'task.format-mismatch', path: '/tasks/load/format', at: 'csv' }]);
    expect(diagnostics({ pick, check: checked, load: load('parquet') })).toEqual([]);
    expect(diagnostics({ pick, check: checked, load: load() })).toEqual([]);
  });
});

describe('loads that run, but likely not as meant: warnings', () => {
  const up = { type: 'warehouse_available', warehouse: 'analytics' };
  it('a load of another warehouse than the one checked before it', () => {
    const l = { type: 'load', after: ['pick', 'up'], warehouse: 'analytcs', table: 't', mode: 'append' };
    expect(diagnostics({ pick, up, l })).toEqual([{ code: 'load.unchecked-warehouse', path: '/tasks/l/warehouse', at: 'analytcs', severity: 'warning' }]);
    expect(diagnostics({ pick, up, l: { ...l, warehouse: 'analytics' } })).toEqual([]);
  });

  it('replace after a bookmark, directly or through a dq_check, but not from a source', () => {
    const replace = { ...load(), mode: 'replace' };
    expect(diagnostics({ pick, check: check('quarantine'), load: replace })).toEqual([{ code: 'load.replace-incremental', path: '/tasks/load/mode', at: 'replace', severity: 'warning' }]);
    expect(diagnostics({ pick, load: { ...replace, after: ['pick'] } })).toEqual([{ code: 'load.replace-incremental', path: '/tasks/load/mode', at: 'replace', severity: 'warning' }]);
    expect(diagnostics({ snapshot: { type: 'load', source: 's3://bucket/daily/', warehouse: 'w', table: 't', mode: 'replace' } })).toEqual([]);
  });
});

describe('bookmark tolerance', () => {
  it.each([
    ['7d', []],
    ['168h', []],
    ['7d1s', [{ code: 'spec.bad-value', path: '/tasks/pick/tolerance', at: '7d1s' }]],
  ])('%s', (tolerance, want) => {
    expect(diagnostics({ pick: { ...pick, tolerance } })).toEqual(want);
  });
});
