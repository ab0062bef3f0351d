import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { errorHandler } from '../../errors/handler.js';
import { bodyLimit } from './index.js';

function app() {
  const a = express();
  a.use(bodyLimit({ maxBytes: 64 }));
  a.post('/', (_req, res) => {
    res.json({ bytes: res.locals.rawBody?.length });
  });
  a.use(errorHandler(pino({ level: 'silent' })));
  return a;
}

describe('body-limit middleware', () => {
  it.each([
    ['an empty body', '', 200],
    ['a body at the limit', 'x'.repeat(64), 200],
    ['a body one byte over', 'x'.repeat(65), 413],
  ])('%s', async (_name, body, status) => {
    const res = await request(app()).post('/').set('Content-Type', 'text/plain').send(body);
    expect(res.status).toBe(status);
    if (status === 413) {
      expect(res.body.code).toBe('Request.TooLarge');
      expect(res.headers.connection).toBe('close');
    } else {
      expect(res.body.bytes).toBe(body.length);
    }
  });

  it('cuts off a chunked body without a Content-Length', async () => {
    const req = request(app()).post('/').set('Transfer-Encoding', 'chunked').set('Content-Type', 'text/plain');
    req.write('y'.repeat(40));
    req.write('y'.repeat(40));
    const res = await req;
    expect(res.status).toBe(413);
  });
});
