import { describe, expect, it } from 'vitest';
import { Problem } from '../../kit/errors/problem.js';
import { inlineLoad } from '../testing/inline-load.js';
import { loadInput } from './request.js';
import type { LoadBody } from './types.js';

const known = new Set(['default', 'analytics']);
const base: LoadBody = { batch: { objects: ['s3://landing/in/a.csv'] }, table: 'events', mode: 'append' };
const run = (over: Partial<LoadBody>) => loadInput({ ...base, ...over } as LoadBody, 'dag/task/run/-1', known);
const problem = (over: Partial<LoadBody>) => {
  try {
    run(over);
  } catch (err) {
    if (err instanceof Problem) return { code: err.code, status: err.status, paths: (err.errors ?? []).map((e) => e.path) };
    throw err;
  }
  throw new Error('expected a problem');
};

describe('loadInput', () => {
  it.each<[string, { given: Partial<LoadBody>; want: Record<string, unknown> }]>([
    ['explicit URIs', { given: {}, want: { target: 'default', table: { schema: undefined, name: 'events' }, format: 'csv', objects: [{ bucket: 'landing', key: 'in/a.csv', size: undefined, etag: undefined }] } }],
    [
      'a bookmarks run result',
      {
        given: { batch: { run_id: 'r1', source: 's3://landing/in/', batch: { objects: [{ key: 'in/x.jsonl.gz', size: 10, etag: 'e1' }], total_bytes: 10 }, groups: [] } },
        want: { format: 'jsonl', objects: [{ bucket: 'landing', key: 'in/x.jsonl.gz', size: 10, etag: 'e1' }] },
      },
    ],
    ['schema.table and a target', { given: { table: 'sales.events', target: 'analytics' }, want: { target: 'analytics', table: { schema: 'sales', name: 'events' } } }],
    ['warehouse is another name for target (the Airflow operator sends it)', { given: { warehouse: 'analytics' }, want: { target: 'analytics' } }],
    ['an explicit format wins over extensions', { given: { batch: { objects: ['s3://landing/in/data'] }, format: 'parquet' }, want: { format: 'parquet' } }],
    ['merge with keys and an ordering column', { given: { mode: 'merge', keys: ['id'], order_by: 'updated_at' }, want: { mode: 'merge', keys: ['id'], order_by: 'updated_at' } }],
  ])('%s', (_name, { given, want }) => {
    expect(run(given)).toMatchObject(want);
  });

  it.each<[string, { given: Partial<LoadBody>; want: { code: string; status: number; paths: string[] } }]>([
    ['SQL in the table name', { given: { table: 'events; DROP TABLE x' }, want: { code: 'InvalidIdentifier', status: 400, paths: ['/table'] } }],
    ['three-part names', { given: { table: 'a.b.c' }, want: { code: 'InvalidIdentifier', status: 400, paths: ['/table'] } }],
    ['a quote in a key', { given: { mode: 'merge', keys: ['id"'] }, want: { code: 'InvalidIdentifier', status: 400, paths: ['/keys/0'] } }],
    ['an empty batch', { given: { batch: { objects: [] } }, want: { code: 'EmptyBatch', status: 400, paths: ['/batch'] } }],
    ['merge without keys', { given: { mode: 'merge' }, want: { code: 'Request.Invalid', status: 400, paths: ['/keys'] } }],
    ['an unknown target', { given: { target: 'nope' }, want: { code: 'Request.Invalid', status: 400, paths: ['/target'] } }],
    ['target and warehouse that differ', { given: { target: 'default', warehouse: 'analytics' }, want: { code: 'Request.Invalid', status: 400, paths: ['/warehouse'] } }],
    ['mixed formats', { given: { batch: { objects: ['s3://b-1/a.csv', 's3://b-1/b.parquet'] } }, want: { code: 'Request.Invalid', status: 400, paths: ['/format'] } }],
    ['no extension, no format', { given: { batch: { objects: ['s3://b-1/a'] } }, want: { code: 'Request.Invalid', status: 400, paths: ['/format'] } }],
    ['an object twice', { given: { batch: { objects: ['s3://b-1/a.csv', 's3://b-1/a.csv'] } }, want: { code: 'Request.Invalid', status: 400, paths: ['/batch/objects/1'] } }],
    ['a key without a bucket', { given: { batch: { objects: [{ key: 'a.csv' }] } }, want: { code: 'Request.Invalid', status: 400, paths: ['/batch/objects/0'] } }],
    ['a folder, not an object', { given: { batch: { source: 's3://b-1/', objects: [{ key: 'in/' }] } }, want: { code: 'Request.Invalid', status: 400, paths: ['/batch/objects/0/key'] } }],
    ['headerless CSV without columns', { given: { options: { csv: { header: false } } }, want: { code: 'Request.Invalid', status: 400, paths: ['/options/columns'] } }],
  ])('refuses %s', (_name, { given, want }) => {
    expect(problem(given)).toEqual(want);
  });

  it('fingerprints what the load does: same work, same print; other work, another', () => {
    const inline = (over: Partial<LoadBody>) => inlineLoad({ ...base, ...over } as LoadBody, 'dag/task/run/-1', known);
    const a = inline({});
    expect(inline({}).fingerprint).toBe(a.fingerprint);
    expect(inline({ mode: 'replace' }).fingerprint).not.toBe(a.fingerprint);
    expect(inline({ batch: { objects: ['s3://landing/in/b.csv'] } }).fingerprint).not.toBe(a.fingerprint);
  });
});
