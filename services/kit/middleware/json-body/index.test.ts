import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { errorHandler } from '../../errors/handler.js';
import { bodyLimit } from '../body-limit/index.js';
import { jsonBody } from './index.js';

function app() {
  const a = express();
  a.use(bodyLimit({ maxBytes: 1024 }), jsonBody());
  a.post('/', (req, res) => {
    res.json({ got: req.body });
  });
  a.use(errorHandler(pino({ level: 'silent' })));
  return a;
}

describe('json-body middleware', () => {
  it.each([
    ['parses JSON', 'application/json', '{"a":1}', 200, { got: { a: 1 } }],
    ['accepts +json types', 'application/merge-patch+json; charset=utf-8', '[1]', 200, { got: [1] }],
    ['gives {} for an empty body', 'application/json', '', 200, { got: {} }],
  ])('%s', async (_name, type, body, status, want) => {
    const res = await request(app()).post('/').set('Content-Type', type).send(body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(want);
  });

  it.each([
    ['text/plain is 415', 'text/plain', 'hello', 415, 'Request.UnsupportedMediaType'],
    ['broken JSON is 400', 'application/json', '{"a":', 400, 'Request.Invalid'],
  ])('%s', async (_name, type, body, status, code) => {
    const res = await request(app()).post('/').set('Content-Type', type).send(body);
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
  });

  it('JSON nested deeper than maxDepth is 400 Request.Invalid; at maxDepth it parses', async () => {
    const a = express();
    a.use(bodyLimit({ maxBytes: 1024 * 1024 }), jsonBody({ maxDepth: 3 }));
    a.post('/', (req, res) => {
      res.json({ got: req.body });
    });
    a.use(errorHandler(pino({ level: 'silent' })));
    expect((await request(a).post('/').set('Content-Type', 'application/json').send('{"a":[{"b":1}]}')).status).toBe(200);
    const deep = await request(a).post('/').set('Content-Type', 'application/json').send('{"a":[{"b":[]}]}');
    expect(deep.status).toBe(400);
    expect(deep.body).toMatchObject({ code: 'Request.Invalid', errors: [{ path: '', message: 'arrays and objects are nested deeper than 3 levels' }] });
    const huge = await request(app()).post('/').set('Content-Type', 'application/json').send('['.repeat(500) + ']'.repeat(500));
    expect(huge.status).toBe(400);
  });
});
