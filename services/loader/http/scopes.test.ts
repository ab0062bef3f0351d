/** Scopes on the loader: the warehouse, the S3 objects of the batch (in and out of scope), and the verbs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScopes } from '../../kit/scopes/load.js';
import { AUTH, loaderApp, type LoaderApp } from '../testing/loader-app.js';
import { MemoryObjects } from '../testing/memory-objects.js';
import { ParquetTools } from '../source/parquet.js';
import { openTarget } from '../target/open-target.js';
import type { WarehouseTarget } from '../target/target.js';

const OPS = { Authorization: 'Bearer loader-ops-token-2' };

describe('loader scopes', () => {
  let loader: LoaderApp;
  let target: WarehouseTarget;
  let parquet: ParquetTools;
  const dir = mkdtempSync(join(tmpdir(), 'dw-loader-scopes-'));
  const objects = new MemoryObjects();
  beforeAll(async () => {
    parquet = new ParquetTools(dir);
    target = openTarget('default', { type: 'duckdb', path: join(dir, 'wh.duckdb') }, { parquet, tempDir: dir });
    await target.driver.run('CREATE TABLE main.orders (id INTEGER, amount INTEGER)');
    objects.set('lake', 'in/orders/a.csv', 'id,amount\n1,10\n2,20\n');
    objects.set('other-bucket', 'private/secret.csv', 'id,amount\n9,99\n');
    const { policy, errors } = parseScopes(`
identities:
  test:
    verbs: [run]
    warehouses: [default]
    s3: { read: ["s3://lake/in/"] }
  ops:
    verbs: [admin, read]
    warehouses: ["*"]
`);
    expect(errors).toEqual([]);
    loader = await loaderApp({
      warehouses: new Map([
        ['finance', { type: 'duckdb', path: ':memory:' }],
      ]),
      targets: new Map([['default', target]]),
      objects,
      auth: { tokens: [{ identity: 'ops', token: 'loader-ops-token-2' }], scopes: policy },
    });
  });
  afterAll(async () => {
    await loader?.close();
    await target?.close();
    await parquet?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const body = (uri: string, target = 'default') => ({ batch: { objects: [uri] }, table: 'orders', mode: 'append', target, format: 'csv' });
  const expectScope = (res: request.Response, code: string, names: string) => {
    expect(res.status, res.text).toBe(403);
    expect(res.body.code).toBe(code);
    expect(res.body.detail).toContain(names);
  };

  it('in scope: the load reads the batch and succeeds', async () => {
    const job = await loader.load(body('s3://lake/in/orders/a.csv'), 'k-in');
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result).toMatchObject({ rows_loaded: 2 });
  });

  it.each([
    ['s3://other-bucket/private/secret.csv'],
    ['s3://lake/out/x.csv'],
    ['s3://lake/in'],
  ])('out of scope: an object %s → 403 Scope.S3Read, no job', async (uri) => {
    expectScope(await loader.post(body(uri), `k-${uri}`), 'Scope.S3Read', uri);
  });

  it('a warehouse out of scope → 403 Scope.Warehouse, for the load and for its availability', async () => {
    expectScope(await loader.post(body('s3://lake/in/orders/a.csv', 'finance'), 'k-fin'), 'Scope.Warehouse', 'finance');
    expectScope(await request(loader.app).get('/v1/warehouses/finance/availability').set(AUTH), 'Scope.Warehouse', 'finance');
    expect((await request(loader.app).get('/v1/warehouses/default/availability').set(AUTH)).status).toBe(200);
  });

  it('run: without the verb, loads, jobs and availability are refused with Scope.Run', async () => {
    expectScope(await request(loader.app).post('/v1/loads').set(OPS).set('Idempotency-Key', 'k-ops').send(body('s3://lake/in/orders/a.csv')), 'Scope.Run', 'run');
    expectScope(await request(loader.app).get('/v1/warehouses/default/availability').set(OPS), 'Scope.Run', 'run');
    expectScope(await request(loader.app).get('/v1/jobs/anything').set(OPS), 'Scope.Run', 'run');
  });
});
