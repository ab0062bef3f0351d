import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../errors/handler.js';
import { bearerAuth, TokenSet } from '../middleware/auth/index.js';
import { Access } from './access.js';
import { loadScopes, parseScopes } from './load.js';
import { parseS3Uri, UNSCOPED, type ScopePolicy } from './model.js';
import { requireScope } from './middleware.js';

const FILE = `
identities:
  airflow-prod:
    verbs: [run]
    s3:
      read: ["s3://data-lake/raw/orders/", "s3://data-lake/_dagwright/"]
      write: ["s3://data-lake/_dagwright/"]
    pipelines: ["orders_*"]
    bookmarks: ["orders_*"]
    warehouses: [analytics]
  ops:
    verbs: [admin, read]
    bookmarks: ["*"]
    pipelines: ["*"]
  nothing: {}
`;

function policy(text = FILE): ScopePolicy {
  const { policy: p, errors } = parseScopes(text);
  expect(errors).toEqual([]);
  return p;
}

const s3 = (uri: string) => parseS3Uri(uri)!;

describe('scopes file', () => {
  it('parses identities into typed scopes', () => {
    const p = policy();
    expect(p.kind).toBe('scoped');
    if (p.kind !== 'scoped') return;
    expect([...p.scopes.keys()]).toEqual(['airflow-prod', 'ops', 'nothing']);
    expect([...p.scopes.get('ops')!.verbs]).toEqual(['admin', 'read']);
  });

  it.each([
    ['not YAML', 'identities: [', /not YAML/],
    ['an unknown verb', 'identities:\n  a:\n    verbs: [delete]', /\/identities\/a\/verbs\/0 must be equal to one of the allowed values/],
    ['an unknown field', 'identities:\n  a:\n    buckets: [x]', /\/identities\/a\/buckets is not allowed/],
    ['an S3 entry that is no s3:// URI', 'identities:\n  a:\n    s3: {read: ["data-lake/raw/"]}', /\/identities\/a\/s3\/read\/0 must match/],
    ['no identities', 'tokens: []', /\/identities is required/],
    ['a files entry that is no absolute path', 'identities:\n  a:\n    files: {read: ["data/lake"]}', /\/identities\/a\/files\/read\/0 must be an absolute directory path, not "data\/lake"/],
    ['a files entry with a glob', 'identities:\n  a:\n    files: {write: ["/srv/*/out"]}', /\/identities\/a\/files\/write\/0 is a directory, not a pattern/],
    ['a files entry with ..', 'identities:\n  a:\n    files: {read: ["/srv/lake/../etc"]}', /\/identities\/a\/files\/read\/0 must not contain \.\./],
  ])('reports %s as a located error', (_name, text, message) => {
    const { errors } = parseScopes(text, 'scopes.yaml');
    expect(errors[0]?.code).toBe('Scopes.Invalid');
    expect(errors.map((e) => e.message).join('\n')).toMatch(message);
  });

  it('is unscoped without DAGWRIGHT_SCOPES_FILE, and reports an unreadable file', () => {
    expect(loadScopes({ env: {} })).toEqual({ policy: UNSCOPED, errors: [] });
    const { errors } = loadScopes({
      env: { DAGWRIGHT_SCOPES_FILE: '/nope.yaml' },
      readFile: () => {
        throw Object.assign(new Error('x'), { code: 'ENOENT' });
      },
    });
    expect(errors[0]?.message).toBe('cannot read /nope.yaml: ENOENT');
  });
});

describe('Access', () => {
  const airflow = Access.for(policy(), 'airflow-prod');
  const ops = Access.for(policy(), 'ops');

  it.each([
    ['run', airflow, undefined],
    ['admin', airflow, 'admin'],
    ['read', airflow, 'read'],
    ['admin', ops, undefined],
    ['read', ops, undefined],
    ['run', ops, 'run'],
  ] as const)('verb %s', (verb, access, missing) => {
    expect(access.missing({ verb })?.scope).toBe(missing);
  });

  it('names: globs match whole names', () => {
    expect(airflow.missing({ pipeline: 'orders_daily' })).toBeUndefined();
    expect(airflow.missing({ pipeline: 'payments' })).toEqual({ scope: 'pipeline', resource: 'payments' });
    expect(airflow.missing({ bookmark: 'xorders_1' })?.scope).toBe('bookmark');
    expect(airflow.missing({ warehouse: 'analytics' })).toBeUndefined();
    expect(airflow.missing({ warehouse: 'analytics2' })?.scope).toBe('warehouse');
  });

  it.each([
    ['s3://data-lake/raw/orders/2026/01/a.csv', 'read', true],
    ['s3://data-lake/raw/orders/', 'read', true],
    ['s3://data-lake/raw/', 'read', false],
    ['s3://data-lake/raw/payments/a.csv', 'read', false],
    ['s3://other-bucket/private/secret.csv', 'read', false],
    ['s3://data-lake/_dagwright/dq/quarantine/x.parquet', 'write', true],
    ['s3://data-lake/raw/orders/x.parquet', 'write', false],
    ['s3://other-bucket/stolen/x.parquet', 'write', false],
  ] as const)('S3 %s for %s: in scope %s', (uri, mode, inScope) => {
    const miss = airflow.missing(mode === 'read' ? { s3Read: [s3(uri)] } : { s3Write: [s3(uri)] });
    expect(miss === undefined).toBe(inScope);
    if (!inScope) expect(miss).toEqual({ scope: mode === 'read' ? 's3Read' : 's3Write', resource: uri });
  });

  it.each([
    ['/srv/lake/orders/2026/a.csv', 'read', true],
    ['/srv/lake/orders', 'read', true],
    ['/srv/lake/orders-secret/a.csv', 'read', false],
    ['/srv/lake/', 'read', false],
    ['/etc/passwd', 'read', false],
    ['/srv/out/quarantine/', 'write', true],
    ['/srv/lake/orders/', 'write', false],
  ] as const)('local path %s for %s: in scope %s', (path, mode, inScope) => {
    const a = Access.for(policy('identities:\n  x:\n    files: {read: ["/srv/lake/orders/"], write: ["/srv/out"]}'), 'x');
    const miss = a.missing(mode === 'read' ? { fileRead: [path] } : { fileWrite: [path] });
    expect(miss === undefined).toBe(inScope);
    if (!inScope) expect(miss).toEqual({ scope: mode === 'read' ? 'fileRead' : 'fileWrite', resource: path });
  });

  it('an identity with no files scope may read and write no local path', () => {
    expect(airflow.missing({ fileRead: ['/srv/lake/orders/a.csv'] })?.scope).toBe('fileRead');
    expect(airflow.missing({ fileWrite: ['/tmp/out/'] })?.scope).toBe('fileWrite');
  });

  it('bucket globs: a bucket pattern with * matches bucket names only', () => {
    const a = Access.for(policy('identities:\n  x:\n    s3: {read: ["s3://lake-*/in/"]}'), 'x');
    expect(a.missing({ s3Read: [s3('s3://lake-dev/in/a')] })).toBeUndefined();
    expect(a.missing({ s3Read: [s3('s3://lake-dev/out/a')] })?.scope).toBe('s3Read');
    expect(a.missing({ s3Read: [s3('s3://data-lake/in/a')] })?.scope).toBe('s3Read');
  });

  it('an identity without a scope entry, or with an empty one, may do nothing', () => {
    for (const who of ['nothing', 'stranger']) {
      const a = Access.for(policy(), who);
      expect(a.missing({ verb: 'read' })?.scope).toBe('read');
      expect(a.missing({ pipeline: 'p' })?.scope).toBe('pipeline');
      expect(a.missing({ s3Read: [s3('s3://b/k')] })?.scope).toBe('s3Read');
    }
  });

  it('unscoped: everything is allowed', () => {
    const a = Access.for(UNSCOPED, 'anyone');
    expect(a.missing({ verb: 'admin', pipeline: 'p', bookmark: 'b', warehouse: 'w', s3Read: [s3('s3://b/k')], s3Write: [s3('s3://b/k')], fileRead: ['/etc/passwd'], fileWrite: ['/tmp/x'] })).toBeUndefined();
  });
});

describe('requireScope over HTTP', () => {
  const tokens = new TokenSet([
    { identity: 'airflow-prod', token: 'airflow-secret-token-1' },
    { identity: 'ops', token: 'ops-secret-token-22' },
  ]);

  function app(scopes: ScopePolicy, lines: string[]) {
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const a = express();
    a.use((_req, res, next) => {
      res.locals.log = log;
      next();
    });
    a.use(bearerAuth({ tokens, scopes }));
    a.post('/reset/:name', requireScope((req) => ({ verb: 'admin', bookmark: String(req.params.name) })), (_req, res) => {
      res.json({ ok: true });
    });
    a.use(errorHandler(log));
    return a;
  }

  it('403 with the code naming the missing scope, logged with the identity and never the token', async () => {
    const lines: string[] = [];
    const res = await request(app(policy(), lines)).post('/reset/orders_1').set('Authorization', 'Bearer airflow-secret-token-1');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'Scope.Admin', status: 403, retryable: false });
    expect(res.body.detail).toContain('airflow-prod');
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request outside its scopes');
    expect(logged).toMatchObject({ identity: 'airflow-prod', scope: 'admin', code: 'Scope.Admin' });
    expect(lines.join('')).not.toContain('airflow-secret-token-1');
    expect(res.text).not.toContain('airflow-secret-token-1');
  });

  it('passes what is in scope; unscoped passes everything', async () => {
    expect((await request(app(policy(), [])).post('/reset/orders_1').set('Authorization', 'Bearer ops-secret-token-22')).status).toBe(200);
    expect((await request(app(UNSCOPED, [])).post('/reset/anything').set('Authorization', 'Bearer airflow-secret-token-1')).status).toBe(200);
  });
});
