import { describe, expect, it } from 'vitest';
import { Problem } from '../../kit/errors/problem.js';
import { beginInput } from './request.js';
import { DEFAULTS, type BeginBody } from './types.js';

const tables = new Set(['wh']);
const run = (body: Omit<BeginBody, 'run_id'>) => beginInput('orders', { run_id: 'r1', ...body }, tables);
const problem = (body: Omit<BeginBody, 'run_id'>) => {
  try {
    run(body);
  } catch (err) {
    if (err instanceof Problem) return { code: err.code, paths: (err.errors ?? []).map((e) => e.path) };
    throw err;
  }
  throw new Error('expected a problem');
};

describe('beginInput', () => {
  it.each<[string, { given: Omit<BeginBody, 'run_id'>; want: Record<string, unknown> }]>([
    ['an S3 source, the defaults resolved', { given: { source: 's3://data/in/' }, want: { name: 'orders', run_id: 'r1', source: 's3://data/in/', options: DEFAULTS } }],
    ['options given', { given: { source: 's3://data/in/', partitioning: 'hive', tolerance_seconds: 60 }, want: { options: { ...DEFAULTS, partitioning: 'hive', tolerance_seconds: 60 } } }],
    ['a table source on a configured connection', { given: { source: 'table://wh/sales.orders', keys: ['id'] }, want: { source: 'table://wh/sales.orders', options: { ...DEFAULTS, keys: ['id'] } } }],
  ])('%s', (_name, { given, want }) => {
    expect(run(given)).toMatchObject(want);
  });

  it.each<[string, { given: Omit<BeginBody, 'run_id'>; want: { code: string; paths: string[] } }]>([
    ['not an S3 URI', { given: { source: 'http://data/in/' }, want: { code: 'Source.InvalidUri', paths: ['/source'] } }],
    ['an unknown table connection', { given: { source: 'table://other/sales.orders', keys: ['id'] }, want: { code: 'Request.Invalid', paths: ['/source'] } }],
    ['a table source without keys', { given: { source: 'table://wh/sales.orders' }, want: { code: 'Request.Invalid', paths: ['/keys'] } }],
  ])('refuses %s', (_name, { given, want }) => {
    expect(problem(given)).toEqual(want);
  });
});
