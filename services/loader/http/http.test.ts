import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Secret } from '../config/secret.js';
import { AUTH, loaderApp } from '../testing/loader-app.js';
import { MemoryObjects } from '../testing/memory-objects.js';
import { freePort } from '../testing/pg-cluster.js';

const PASSWORD = 'n0t-in-any-log-or-answer';

describe('the loader service on the kit', () => {
  it('never logs or echoes warehouse credentials, even when the warehouse is down', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'trace' }, new Writable({ write: (chunk, _e, done) => {
      lines.push(String(chunk));
      done();
    } }));
    const port = await freePort();
    const objects = new MemoryObjects();
    objects.set('landing', 'a.csv', 'id\n1\n');
    const loader = await loaderApp({
      log,
      objects,
      warehouses: new Map([['wh', { type: 'postgres', url: new Secret(`postgres://loader:${PASSWORD}@127.0.0.1:${port}/db`), connect_timeout_ms: 500 }]]),
    });
    try {
      const availability = await request(loader.app).get('/v1/warehouses/wh/availability').set(AUTH);
      expect(availability.status).toBe(503);
      expect(availability.body).toMatchObject({ code: 'Warehouse.Unavailable', retryable: true });
      const job = await loader.load({ batch: { objects: ['s3://landing/a.csv'] }, target: 'wh', table: 'events', mode: 'append' }, 'k/1');
      expect(job).toMatchObject({ status: 'failed', error: { code: 'Warehouse.Unavailable', status: 503, retryable: true } });
      const openapi = await request(loader.app).get('/openapi.json');
      for (const text of [JSON.stringify(availability.body), JSON.stringify(job), JSON.stringify(openapi.body), ...lines]) expect(text).not.toContain(PASSWORD);
      expect(lines.join('\n')).toContain('"warehouses"');
    } finally {
      await loader.close();
    }
  });

  it('publishes its endpoints: POST /v1/loads (a job) and the availability route', async () => {
    const loader = await loaderApp({ warehouses: new Map([['default', { type: 'duckdb', path: ':memory:' }]]), objects: new MemoryObjects() });
    try {
      const doc = (await request(loader.app).get('/openapi.json')).body;
      expect(doc.paths['/v1/loads'].post).toMatchObject({ 'x-job-kind': 'load' });
      expect(doc.paths['/v1/warehouses/{name}/availability'].get.responses).toHaveProperty('503');
      expect((await request(loader.app).get('/readyz')).status).toBe(200);
      expect(loader.service.warehouses).toEqual(['default']);
      const noAuth = await request(loader.app).post('/v1/loads').send({});
      expect(noAuth.status).toBe(401);
      const bad = await request(loader.app).post('/v1/loads').set(AUTH).set('Idempotency-Key', 'k').send({ table: 'x' });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('Request.Invalid');
      const metrics = await request(loader.app).get('/metrics');
      expect(metrics.text).toContain('dagwright_loader_loads_total');
    } finally {
      await loader.close();
    }
  });
});
