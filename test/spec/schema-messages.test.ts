import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { publishedSchema } from '../../src/spec/schema.js';

const base = { apiVersion: 'dagwright/v1', kind: 'Pipeline', name: 'p', schedule: '@daily', start_date: '2026-01-01' };

/** Every schema in the published schema that has a pattern, with its place. */
function patternsIn(schema: unknown, path = '#'): [string, Record<string, unknown>][] {
  if (schema === null || typeof schema !== 'object') return [];
  const here: [string, Record<string, unknown>][] = 'pattern' in schema ? [[path, schema as Record<string, unknown>]] : [];
  const inside = Object.entries(schema).filter(([key]) => key !== 'errorMessage');
  return [...here, ...inside.flatMap(([key, value]) => patternsIn(value, `${path}/${key}`))];
}

function diagnostic(spec: object) {
  const diagnostics = compileSpec('p.yaml', stringify(spec)).diagnostics;
  expect(diagnostics).toHaveLength(1);
  const [only] = diagnostics;
  return { code: only?.code, path: only?.path, message: only?.message };
}

describe('schema messages', () => {
  it('tells, for every pattern, what the field expects (errorMessage), never the regular expression', () => {
    const found = patternsIn(publishedSchema());
    expect(found.length).toBeGreaterThan(10);
    for (const [path, schema] of found) {
      const message = (schema['errorMessage'] as { pattern?: unknown } | undefined)?.pattern;
      expect(typeof message === 'string' && message.startsWith('expected ') && !message.includes('^'), path).toBe(true);
    }
  });

  it('says, for every union, what it takes (errorMessage)', () => {
    const unions = JSON.stringify(publishedSchema(), (key, value: unknown) => {
      if (value !== null && typeof value === 'object' && Array.isArray((value as { anyOf?: unknown }).anyOf)) {
        const message = (value as { errorMessage?: { anyOf?: unknown } }).errorMessage?.anyOf;
        expect(typeof message, JSON.stringify(value).slice(0, 80)).toBe('string');
      }
      return value;
    });
    expect(unions).toContain('anyOf');
  });

  it.each([
    ['a schedule of no known shape', { schedule: 5 }, 'spec.wrong-type', '/schedule', '"schedule": must be a preset (@hourly), a cron string, {cron: <cron>, semantics: interval|trigger}, {every: <duration>, semantics: interval|trigger}, {assets: <condition>}, {cron or every, semantics, assets: <condition>} or null'],
    ['a schedule with a key no shape has', { schedule: { cron: '@daily', extra: 1 } }, 'spec.unknown-key', '/schedule/extra', 'unknown key "extra" in "schedule"; allowed here: cron, semantics, assets, every'],
    ['an asset condition of no known shape', { schedule: { assets: ['s3://b/k', 5] } }, 'spec.wrong-type', '/schedule/assets/1', '"assets[1]": an asset condition is an asset URI, {any: [...]} or {all: [...]}'],
    ['a bad name', { name: '-p' }, 'spec.bad-name', '/name', '"name" is "-p"; expected letters, digits, _ . - (it becomes the dag_id)'],
    ['a bad start_date', { start_date: '2026-1-01' }, 'spec.bad-value', '/start_date', '"start_date" is "2026-1-01"; expected a date written YYYY-MM-DD'],
    ['a duration that is none', { sla: 'often' }, 'spec.bad-duration', '/sla', '"sla" is "often"; expected a duration longer than zero, such as 90s, 5m, 2h, 1d or 1h30m'],
    ['a zero duration', { sla: '0s' }, 'spec.bad-duration', '/sla', '"sla" is "0s": it must be longer than zero'],
    ['a bad error code', { error_codes: ['bad code'] }, 'spec.bad-value', '/error_codes/0', '"error_codes[0]" is "bad code"; expected a dotted error code such as Acme.Unavailable (ALL is reserved)'],
  ] as const)('%s', (_name, patch, code, path, message) => {
    expect(diagnostic({ ...base, ...patch, tasks: { a: { type: 'empty' } } })).toEqual({ code, path, message });
  });

  it.each([
    ['a bad import path', { type: 'python', callable: 'nope' }, 'spec.bad-value', '/tasks/t/callable', '"callable" is "nope"; expected an import path such as package.module:function'],
    ['a retry of no known shape', { type: 'empty', retry: 5 }, 'spec.wrong-type', '/tasks/t/retry', '"retry": must be a map {attempts, delay, backoff, max_delay} or a list of policies [{on: [codes], attempts, delay}]'],
    ['a for_each of no known shape', { type: 'bash', command: 'x', for_each: 5 }, 'spec.wrong-type', '/tasks/t/for_each', '"for_each": must be a list of values or {from: <task>, max_parallel: N}'],
    ['a bad delay', { type: 'empty', retry: { delay: 'x' } }, 'spec.bad-duration', '/tasks/t/retry/delay', '"delay" is "x"; expected a duration such as 90s, 5m, 2h, 1d or 1h30m'],
    [
      'a bad merge key',
      { type: 'load', warehouse: 'w', table: 't', mode: 'merge', keys: ['a b'], source: 's3://bucket/p/' },
      'spec.bad-value',
      '/tasks/t/keys/0',
      '"keys[0]" is "a b"; expected a plain identifier: a letter or _, then letters, digits, _ or $',
    ],
  ] as const)('%s', (_name, task, code, path, message) => {
    expect(diagnostic({ ...base, tasks: { t: task } })).toEqual({ code, path, message });
  });

  it('a number where a duration goes says what it is and what the field expects', () => {
    expect(diagnostic({ ...base, tasks: { t: { type: 'empty', timeout: 90 } } })).toEqual({
      code: 'spec.wrong-type',
      path: '/tasks/t/timeout',
      message: '"timeout" is 90, a number; expected a duration longer than zero, such as 90s, 5m, 2h, 1d or 1h30m',
    });
  });

  it('names a list member by its list and index', () => {
    expect(diagnostic({ ...base, tasks: { t: { type: 'empty', retry: [{ on: [500], attempts: 2, delay: '10s' }] } } })).toMatchObject({
      path: '/tasks/t/retry/0/on/0',
      message: expect.stringMatching(/^"on\[0\]" is 500, a number; expected an error code/),
    });
  });

  it('a key that no shape of a union has is named, with a did-you-mean, instead of the whole union', () => {
    expect(diagnostic({ ...base, schedule: { cron: '@daily', semantic: 'interval' }, tasks: { t: { type: 'empty' } } })).toEqual({
      code: 'spec.unknown-key',
      path: '/schedule/semantic',
      message: 'unknown key "semantic" in "schedule"; did you mean "semantics"?',
    });
  });
});
