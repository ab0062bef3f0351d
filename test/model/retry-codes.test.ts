/** The codes of a list-form retry policy are codes something can report, or declared ones. */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';

function diagnostics(on: string[], extra: object = {}): { code: string; path: string | undefined; at: string; suggests: string | undefined }[] {
  const load = { type: 'load', warehouse: 'w', table: 't', mode: 'append', input: 'pick', retry: [{ on, attempts: 2 }] };
  const spec = { apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule: '@daily', start_date: '2026-01-01', ...extra, tasks: { pick: { type: 'bookmark', source: 's3://bucket/p/' }, load } };
  const text = stringify(spec);
  return compileSpec('p.yaml', text).diagnostics.map((d) => ({
    code: d.code,
    path: d.path,
    at: text.slice(d.pos[0], d.pos[1]),
    suggests: /did you mean "([^"]+)"/.exec(d.message)?.[1],
  }));
}

const unknown = (index: number, at: string, suggests?: string) => ({ code: 'retry.unknown-code', path: `/tasks/load/retry/0/on/${index}`, at, suggests });

describe('retry policy codes', () => {
  it.each([
    ['a loader code', ['Warehouse.Unavailable'], []],
    ['an AWS code the loader passes on', ['Redshift.UnavailableException'], []],
    ['a dq code', ['DQ.RulesFailed'], []],
    ['a kit code', ['Service.Busy', 'Job.Interrupted', 'Internal'], []],
    ['codes the operators give themselves', ['Transport.Unavailable', 'HTTP.503', 'Response.Malformed'], []],
    ['a dotted prefix', ['Warehouse', 'Redshift', 'HTTP'], []],
    ['ALL', ['ALL'], []],
    ['a misspelled code', ['Warehouse.Unavailble'], [unknown(0, 'Warehouse.Unavailble', 'Warehouse.Unavailable')]],
    ['a wrong case', ['warehouse.unavailable'], [unknown(0, 'warehouse.unavailable', 'Warehouse.Unavailable')]],
    ['a prefix that is not a whole segment', ['Warehouse.Unavail'], [unknown(0, 'Warehouse.Unavail', 'Warehouse.Unavailable')]],
    ['an HTTP status that is none', ['HTTP.99'], [unknown(0, 'HTTP.99', undefined)]],
    ['the second code of a list', ['DataError', 'Schemamismatch'], [unknown(1, 'Schemamismatch', 'SchemaMismatch')]],
    ['an invented code', ['Acme.Down'], [unknown(0, 'Acme.Down', undefined)]],
  ])('%s', (_name, on, want) => {
    expect(diagnostics(on)).toEqual(want);
  });

  it.each([
    ['a declared code', ['Acme.Down'], { error_codes: ['Acme.Down'] }, []],
    ['a prefix of a declared code', ['Acme'], { error_codes: ['Acme.Down'] }, []],
    ['a misspelled declared code', ['Acme.Donw'], { error_codes: ['Acme.Down'] }, [unknown(0, 'Acme.Donw', 'Acme.Down')]],
  ])('%s', (_name, on, extra, want) => {
    expect(diagnostics(on, extra)).toEqual(want);
  });

  it('error_codes take the code syntax, and not ALL', () => {
    expect(diagnostics(['ALL'], { error_codes: ['ALL', 'bad code'] }).map((d) => [d.code, d.path])).toEqual([
      ['spec.bad-value', '/error_codes/0'],
      ['spec.bad-value', '/error_codes/1'],
    ]);
  });
});
