import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../errors/handler.js';
import { pino } from 'pino';
import { bearerAuth, loadTokens, parseTokens, TokenSet } from './index.js';

const tokens = new TokenSet([
  { identity: 'airflow', token: 'airflow-secret-1' },
  { identity: 'admin', token: 'admin-secret-22' },
]);

function app() {
  const a = express();
  a.use(bearerAuth({ tokens }));
  a.get('/', (_req, res) => {
    res.json({ identity: res.locals.identity });
  });
  a.use(errorHandler(pino({ level: 'silent' })));
  return a;
}

describe('bearer auth middleware', () => {
  it.each([
    ['no header', undefined, 401],
    ['wrong scheme', 'Basic airflow-secret-1', 401],
    ['wrong token', 'Bearer nope-nope-nope', 401],
    ['empty bearer', 'Bearer ', 401],
  ])('%s → 401 Auth.Unauthorized without echoing the token', async (_name, header, status) => {
    const req = request(app()).get('/');
    const res = await (header === undefined ? req : req.set('Authorization', header));
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('Auth.Unauthorized');
    expect(res.body.retryable).toBe(false);
    expect(res.text).not.toContain('nope-nope');
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('accepts a known token and names its identity', async () => {
    const res = await request(app()).get('/').set('Authorization', 'Bearer admin-secret-22');
    expect(res.status).toBe(200);
    expect(res.body.identity).toBe('admin');
  });
});

describe('token loading', () => {
  it('reads env, list and file; reports short tokens without echoing them', () => {
    const { tokens: set, errors } = loadTokens({
      env: {
        DAGWRIGHT_TOKEN: 'single-token-1',
        DAGWRIGHT_TOKENS: 'ci:ci-token-123,short:abc',
        DAGWRIGHT_TOKENS_FILE: '/etc/tokens',
      },
      readFile: () => '# comment\nops:ops-token-456\n',
    });
    expect(set.size).toBe(3);
    expect(set.identify('single-token-1')).toBe('default');
    expect(set.identify('ci-token-123')).toBe('ci');
    expect(set.identify('ops-token-456')).toBe('ops');
    expect(errors.map((e) => e.code)).toEqual(['Tokens.Invalid']);
    expect(JSON.stringify(errors)).not.toContain('abc');
  });

  it('names unnamed tokens by position', () => {
    expect(parseTokens('first-token-1\nsecond-token-2').tokens.map((t) => t.identity)).toEqual(['token-1', 'token-2']);
  });

  it('reports an unreadable file by error code, not by throwing', () => {
    const { errors } = loadTokens({
      env: { DAGWRIGHT_TOKENS_FILE: '/nope' },
      readFile: () => {
        throw Object.assign(new Error('x'), { code: 'ENOENT' });
      },
    });
    expect(errors[0]?.message).toContain('ENOENT');
  });
});
