import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { requestId } from './index.js';

function app() {
  const a = express();
  a.use(requestId({ log: pino({ level: 'silent' }), generate: () => 'generated-1' }));
  a.get('/', (_req, res) => {
    res.json({ seen: res.locals.requestId });
  });
  return a;
}

describe('request-id middleware', () => {
  it.each([
    ['keeps the caller value', 'abc-123', 'abc-123'],
    ['generates one when absent', undefined, 'generated-1'],
    ['replaces a value with control characters', 'bad value', 'generated-1'],
  ])('%s', async (_name, given, want) => {
    const req = request(app()).get('/');
    const res = await (given === undefined ? req : req.set('X-Request-Id', given));
    expect(res.headers['x-request-id']).toBe(want);
    expect(res.body.seen).toBe(want);
  });
});
