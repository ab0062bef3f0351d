import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { errorHandler } from '../../errors/handler.js';
import { validate } from './index.js';

function app() {
  const a = express();
  a.use(express.json());
  a.post(
    '/things/:name',
    validate({
      params: { type: 'object', properties: { name: { type: 'string', pattern: '^[a-z]+$' } } },
      body: {
        type: 'object',
        required: ['table'],
        additionalProperties: false,
        properties: {
          table: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_$]*$' },
          size: { type: 'integer', minimum: 1, default: 10 },
        },
      },
    }),
    (req, res) => {
      res.json(req.body);
    },
  );
  a.use(errorHandler(pino({ level: 'silent' })));
  return a;
}

describe('validate middleware', () => {
  it('fills defaults and passes a valid body', async () => {
    const res = await request(app()).post('/things/abc').send({ table: 'orders' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ table: 'orders', size: 10 });
  });

  it.each([
    ['a missing field', 'abc', {}, [{ path: '/table', message: 'is required' }]],
    ['a bad pattern', 'abc', { table: '1x' }, [{ path: '/table', message: 'must match pattern "^[A-Za-z_][A-Za-z0-9_$]*$"' }]],
    ['an unknown field', 'abc', { table: 't', extra: 1 }, [{ path: '/extra', message: 'is not allowed' }]],
    ['a bad parameter and a bad body at once', 'ABC', { table: 't', size: 0 }, [
      { path: '/params/name', message: 'must match pattern "^[a-z]+$"' },
      { path: '/size', message: 'must be >= 1' },
    ]],
  ])('names the field for %s', async (_name, param, body, errors) => {
    const res = await request(app()).post(`/things/${param}`).send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('Request.Invalid');
    expect(res.body.errors).toEqual(errors);
  });
});
