import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { errorHandler } from '../../errors/handler.js';
import { draining } from './index.js';

function app(isDraining: boolean) {
  const a = express();
  a.use(draining({ isDraining: () => isDraining }));
  a.all('/', (_req, res) => {
    res.json({ ok: true });
  });
  a.use(errorHandler(pino({ level: 'silent' })));
  return a;
}

describe('draining middleware', () => {
  it('refuses new work with 503 Service.ShuttingDown and Retry-After', async () => {
    const res = await request(app(true)).post('/');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('Service.ShuttingDown');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('still serves reads', async () => {
    expect((await request(app(true)).get('/')).status).toBe(200);
  });

  it('passes everything when not draining', async () => {
    expect((await request(app(false)).post('/')).status).toBe(200);
  });
});
