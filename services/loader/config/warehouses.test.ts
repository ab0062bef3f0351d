import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { Secret } from './secret.js';
import { fromUrl, loadWarehouses } from './warehouses.js';

const PASSWORD = 'pa55-w0rd-never-shown';
const dir = mkdtempSync(join(tmpdir(), 'dw-loader-cfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('warehouses from the environment and a secrets file', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['postgres', `postgres://loader:${PASSWORD}@db:5432/wh?schema=raw&ledger=ops.ledger`, { type: 'postgres', schema: 'raw', ledger: 'ops.ledger' }],
    ['duckdb file', 'duckdb:/var/lib/dagwright/wh.duckdb', { type: 'duckdb', path: '/var/lib/dagwright/wh.duckdb' }],
    ['duckdb in memory', 'duckdb::memory:', { type: 'duckdb', path: ':memory:' }],
    [
      'redshift, Data API, cluster',
      'redshift+data://analytics/dev?db_user=loader&iam_role=arn:aws:iam::1:role/r&manifest=s3://m/p/&region=eu-west-1',
      { type: 'redshift', api: 'data', cluster_identifier: 'analytics', database: 'dev', db_user: 'loader', iam_role: 'arn:aws:iam::1:role/r', manifest_prefix: 's3://m/p/', region: 'eu-west-1' },
    ],
    [
      'redshift, Data API, Serverless',
      'redshift+serverless://wg/dev?secret_arn=arn:aws:secretsmanager:x&iam_role=arn:r&manifest=s3://m/p/&load_errors=stl',
      { type: 'redshift', api: 'data', workgroup_name: 'wg', secret_arn: 'arn:aws:secretsmanager:x', load_errors_view: 'stl' },
    ],
    ['redshift, wire protocol', `redshift://loader:${PASSWORD}@host:5439/dev?iam_role=arn:r&manifest=s3://m/p/`, { type: 'redshift', api: 'pg', database: 'dev' }],
  ])('%s', (_name, url, want) => {
    const config = fromUrl(url, 'DAGWRIGHT_WAREHOUSE_X');
    expect(config).toMatchObject(want);
    expect(JSON.stringify(config)).not.toContain(PASSWORD);
  });

  it('our parameters are taken out of the URL the driver gets; the password stays only in the Secret', () => {
    const config = fromUrl(`postgres://loader:${PASSWORD}@db/wh?schema=raw&sslmode=require`, 'X');
    if (config.type !== 'postgres') throw new Error('postgres expected');
    expect(config.url.reveal()).toBe(`postgres://loader:${PASSWORD}@db/wh?sslmode=require`);
  });

  it('env URLs win over the file; `default` is the embedded DuckDB unless named', () => {
    const file = join(dir, 'secrets.json');
    writeFileSync(file, JSON.stringify({ warehouses: { analytics: { type: 'postgres', url: `postgres://u:${PASSWORD}@a/b` }, lake: { type: 'duckdb', path: '/tmp/x.duckdb' } } }));
    const map = loadWarehouses({ env: { DAGWRIGHT_LOADER_SECRETS: file, DAGWRIGHT_WAREHOUSE_LAKE: 'duckdb:/tmp/y.duckdb' }, defaultDuckdbPath: '/tmp/default.duckdb' });
    expect([...map.keys()].sort()).toEqual(['analytics', 'default', 'lake']);
    expect(map.get('lake')).toEqual({ type: 'duckdb', path: '/tmp/y.duckdb' });
    expect(map.get('default')).toEqual({ type: 'duckdb', path: '/tmp/default.duckdb' });
    expect(map.get('analytics')).toMatchObject({ type: 'postgres', url: expect.any(Secret) });
  });

  it('errors name the variable or the field, never the value', () => {
    expect(() => fromUrl(`mysql://u:${PASSWORD}@h/d`, 'DAGWRIGHT_WAREHOUSE_X')).toThrow(/DAGWRIGHT_WAREHOUSE_X: unknown scheme mysql/);
    expect(() => fromUrl(`redshift://u:${PASSWORD}@h/d`, 'DAGWRIGHT_WAREHOUSE_X')).toThrow(/iam_role/);
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ warehouses: { x: { type: 'postgres', url: `mysql://u:${PASSWORD}@h/d` } } }));
    let message = '';
    try {
      loadWarehouses({ env: {}, secretsFile: file, defaultDuckdbPath: '/tmp/d.duckdb' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/bad\.json/);
    expect(message).not.toContain(PASSWORD);
  });
});

describe('Secret', () => {
  it('never prints: String, JSON, inspect, template strings, pino', () => {
    const s = new Secret(PASSWORD);
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, done) => {
      lines.push(String(chunk));
      done();
    } }));
    log.info({ config: { url: s }, s }, `connecting with ${s}`);
    for (const text of [String(s), JSON.stringify({ s }), inspect({ s }), `${s}`, ...lines]) expect(text).not.toContain(PASSWORD);
    expect(s.reveal()).toBe(PASSWORD);
  });
});
