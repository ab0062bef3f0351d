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

  it.each([
    ['a bad name', { name: '-p' }, 'spec.bad-name', '/name', '"name" is "-p"; expected letters, digits, _ . - (it becomes the dag_id)'],
    ['a bad start_date', { start_date: '2026-1-01' }, 'spec.bad-value', '/start_date', '"start_date" is "2026-1-01"; expected a date written YYYY-MM-DD'],
    ['a duration that is none', { sla: 'often' }, 'spec.bad-duration', '/sla', '"sla" is "often"; expected a duration longer than zero, such as 90s, 5m, 2h, 1d or 1h30m'],
    ['a zero duration', { sla: '0s' }, 'spec.bad-duration', '/sla', '"sla" is "0s": it must be longer than zero'],
    ['a bad error code', { error_codes: ['bad code'] }, 'spec.bad-value', '/error_codes/0', '"0" is "bad code"; expected a dotted error code such as Acme.Unavailable (ALL is reserved)'],
  ] as const)('%s', (_name, patch, code, path, message) => {
    expect(diagnostic({ ...base, ...patch, tasks: { a: { type: 'empty' } } })).toEqual({ code, path, message });
  });

  it.each([
    ['a bad import path', { type: 'python', callable: 'nope' }, 'spec.bad-value', '/tasks/t/callable', '"callable" is "nope"; expected an import path such as package.module:function'],
    ['a bad delay', { type: 'empty', retry: { delay: 'x' } }, 'spec.bad-duration', '/tasks/t/retry/delay', '"delay" is "x"; expected a duration such as 90s, 5m, 2h, 1d or 1h30m'],
    [
      'a bad merge key',
      { type: 'load', warehouse: 'w', table: 't', mode: 'merge', keys: ['a b'], source: 's3://bucket/p/' },
      'spec.bad-value',
      '/tasks/t/keys/0',
      '"0" is "a b"; expected a plain identifier: a letter or _, then letters, digits, _ or $',
    ],
  ] as const)('%s', (_name, task, code, path, message) => {
    expect(diagnostic({ ...base, tasks: { t: task } })).toEqual({ code, path, message });
  });
});
