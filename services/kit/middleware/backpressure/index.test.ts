import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { errorHandler } from '../../errors/handler.js';
import { backpressure } from './index.js';

function app(saturated: boolean) {
  const a = express();
  a.post('/', backpressure({ capacity: { saturated: () => saturated }, retryAfterSeconds: 3 }), (_req, res) => {
    res.status(202).json({});
  });
  a.use(errorHandler(pino({ level: 'silent' })));
  return a;
}

describe('backpressure middleware', () => {
  it('passes while there is room', async () => {
    expect((await request(app(false)).post('/')).status).toBe(202);
  });

  it('answers 429 Service.Busy with Retry-After when saturated', async () => {
    const res = await request(app(true)).post('/');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.body).toMatchObject({ code: 'Service.Busy', retryable: true, status: 429 });
  });
});
