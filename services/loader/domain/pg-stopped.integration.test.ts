/**
 * PostgreSQL stopped in the middle of a load: the job fails as a retryable
 * 503 (Warehouse.Unavailable), the availability endpoint says 503 with
 * Retry-After, and once the server is back the retry with the same key
 * loads the batch, once. The test starts its own throwaway cluster on its own
 * port, so stopping it disturbs no other test.
 */
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../config/secret.js';
import { committedLog } from '../testing/committed-log.js';
import { AUTH, loaderApp, type LoaderApp } from '../testing/loader-app.js';
import { PgCluster, pgBinDir } from '../testing/pg-cluster.js';
import { csv, S3Fixture } from '../testing/s3-fixture.js';

const s3req = S3Fixture.requirement();
const bin = pgBinDir();
if (!bin && process.env.CI === 'true') throw new Error('CI=true but no PostgreSQL server binaries (/usr/lib/postgresql/*/bin): the test cannot run');
const only = process.env.DAGWRIGHT_LOADER_TARGETS;
const wanted = !only || only.split(',').includes('postgres');

describe.skipIf(!bin || !s3req.available || !wanted)('PostgreSQL stopped during a load', () => {
  let cluster: PgCluster;
  let s3: S3Fixture;
  let loader: LoaderApp;
  /** Set by the test: the next load stops at `copying` until `wait` resolves. */
  let pause: { readonly reached: () => void; readonly wait: Promise<void> } | undefined;
  /** The loader's `load committed` lines: the path each load took. */
  const { log, committed } = committedLog();

  beforeAll(async () => {
    cluster = await PgCluster.create(bin as string);
    s3 = await S3Fixture.create(s3req.value);
    await s3.put('stop/a.csv', csv(['id', 'name'], Array.from({ length: 5000 }, (_, i) => [i + 1, `n${i + 1}`])));
    loader = await loaderApp({
      log,
      s3: s3.client,
      warehouses: new Map([['local', { type: 'postgres', url: new Secret(cluster.url), connect_timeout_ms: 1000 }]]),
      hooks: {
        checkpoint: async (point) => {
          const p = pause;
          if (point !== 'copying' || !p) return;
          pause = undefined;
          p.reached();
          await p.wait;
        },
      },
    });
    // A merge into an empty table with a primary key copies straight in; without a unique key, it stages.
    await sql('CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT)');
    await sql('CREATE TABLE events_staged (id INTEGER NOT NULL, name TEXT)');
  }, 120_000);
  afterAll(async () => {
    await loader?.close();
    cluster?.destroy();
  });

  async function sql(text: string): Promise<unknown[]> {
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    try {
      return (await c.query(text)).rows;
    } finally {
      await c.end();
    }
  }

  it.each([
    ['direct', 'events'],
    ['staged', 'events_staged'],
  ])('%s: fails retryable 503 while stopped, and succeeds on retry once it is back', async (path, table) => {
    const body = { batch: { objects: [s3.uri('stop/a.csv')] }, target: 'local', table, mode: 'merge', keys: ['id'] };
    const key = `dag/load/stopped_${table}/-1`;
    let resume: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => {
      pause = { reached: resolve, wait: new Promise<void>((r) => (resume = r)) };
    });
    const posted = await loader.post(body, key);
    expect(posted.status).toBe(202);
    await reached;
    // The COPY is half sent, inside the transaction: stop the server under it.
    cluster.stop('fast');
    resume();
    const failed = await loader.wait(posted.body.id);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'Warehouse.Unavailable', status: 503, retryable: true } });

    const availability = await request(loader.app).get('/v1/warehouses/local/availability').set(AUTH);
    expect(availability.status).toBe(503);
    expect(availability.body).toMatchObject({ code: 'Warehouse.Unavailable', retryable: true });
    expect(Number(availability.headers['retry-after'])).toBeGreaterThan(0);

    // Still down: the retry fails the same way (the operator waits Retry-After and posts again).
    const stillDown = await loader.load(body, key);
    expect(stillDown).toMatchObject({ status: 'failed', attempt: 2, error: { code: 'Warehouse.Unavailable', retryable: true } });

    cluster.start();
    expect((await request(loader.app).get('/v1/warehouses/local/availability').set(AUTH)).status).toBe(200);
    const done = await loader.load(body, key);
    expect(done).toMatchObject({ status: 'succeeded', attempt: 3, result: { rows_loaded: 5000, rows_inserted: 5000, replayed: false } });
    expect(await sql(`SELECT COUNT(*)::int AS n FROM ${table}`)).toEqual([{ n: 5000 }]);
    expect(committed.at(-1)?.path).toBe(path);
  });
});
