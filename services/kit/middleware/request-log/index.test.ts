import express from 'express';
import request from 'supertest';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createMetrics } from '../../ops/metrics.js';
import { requestLog } from './index.js';

describe('request-log middleware', () => {
  it('logs one line per request without headers, and counts it', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } }));
    const metrics = createMetrics({ service: 'test' });
    const app = express();
    app.use(requestLog({ log, metrics }));
    app.get('/things/:id', (_req, res) => {
      res.json({});
    });
    await request(app).get('/things/7').set('Authorization', 'Bearer super-secret-token');
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line).toMatchObject({ method: 'GET', route: '/things/:id', status: 200 });
    expect(lines[0]).not.toContain('super-secret-token');
    expect(await metrics.registry.metrics()).toContain('dagwright_http_requests_total{method="GET",route="/things/:id",status="200",service="test"} 1');
  });
});
