/**
 * The loader's conformance suite: the same cases on every target, against
 * real databases (PostgreSQL from DAGWRIGHT_PG_URL, an embedded DuckDB file)
 * and S3 on moto (DAGWRIGHT_S3_ENDPOINT). DAGWRIGHT_LOADER_TARGETS=duckdb
 * runs one target. With CI=true a missing endpoint fails the run.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../kit/jobs/types.js';
import { committedLog, type CommittedLoad } from '../testing/committed-log.js';
import { loaderApp, type LoaderApp } from '../testing/loader-app.js';
import { csv, jsonl, S3Fixture } from '../testing/s3-fixture.js';
import { conformanceTargets, type ConformanceTarget, type TestWarehouse } from '../testing/warehouses.js';

const s3req = S3Fixture.requirement();

/** What differs by target, typed so that a new target cannot skip a case silently. */
const expected: Record<ConformanceTarget, { readonly badValue: RegExp; readonly tableType: string }> = {
  postgres: { badValue: /invalid input syntax for type integer|line 3/i, tableType: 'integer' },
  duckdb: { badValue: /Could not convert|conversion|line/i, tableType: 'INTEGER' },
};

for (const t of conformanceTargets()) {
  describe.skipIf(!t.available || !s3req.available)(`loader conformance: ${t.kind}`, () => {
    let s3: S3Fixture;
    let wh: TestWarehouse;
    let loader: LoaderApp;
    /** The loader's `load committed` log lines, newest last: they say which path each load took. */
    let committed: CommittedLoad[];
    let n = 0;
    const key = () => `dag/load/run_${++n}_${Date.now()}/-1`;
    const table = (name: string) => `${wh.schema}.${name}`;
    const objects = (...keys: string[]) => ({ source: `s3://${s3.bucket}/`, objects: keys.map((k) => ({ key: k })) });
    const ok = (job: Job) => {
      if (job.status !== 'succeeded') throw new Error(`job failed: ${JSON.stringify(job.error)}`);
      return job.result as Record<string, number | string | boolean>;
    };

    beforeAll(async () => {
      s3 = await S3Fixture.create(s3req.value);
    });
    beforeEach(async () => {
      wh = await t.open();
      const logged = committedLog();
      committed = logged.committed;
      const log = logged.log;
      loader = await loaderApp({ targets: new Map([['default', wh.target]]), s3: s3.client, warehouses: new Map(), log });
      await wh.exec(`CREATE TABLE ${table('events')} (id INTEGER NOT NULL, name VARCHAR(100), amount NUMERIC(12,2), updated_at TIMESTAMP)`);
      return async () => {
        await loader.close();
        await wh.dispose();
      };
    });
    afterAll(() => undefined);

    it('append: inserts every row of the batch', async () => {
      await s3.put('append/a.csv', csv(['id', 'name', 'amount', 'updated_at'], [[1, 'a', '1.50', '2026-01-01 10:00:00'], [2, 'b', null, '2026-01-01 10:00:00']]));
      await s3.put('append/b.csv', csv(['id', 'name', 'amount', 'updated_at'], [[3, 'c', '3', null]]));
      const job = await loader.load({ batch: objects('append/a.csv', 'append/b.csv'), table: table('events'), mode: 'append' }, key());
      expect(ok(job)).toMatchObject({ rows_loaded: 3, rows_inserted: 3, rows_updated: 0, rows_deleted: 0, objects: 2, replayed: false });
      expect(committed.at(-1)?.path).toBe('direct');
      expect(await wh.rows(`SELECT id, name, CAST(amount AS VARCHAR) AS amount FROM ${table('events')} ORDER BY id`)).toEqual([
        { id: 1, name: 'a', amount: '1.50' },
        { id: 2, name: 'b', amount: null },
        { id: 3, name: 'c', amount: '3.00' },
      ]);
    });

    it('merge: updates matching keys, inserts the rest', async () => {
      await wh.exec(`INSERT INTO ${table('events')} VALUES (1, 'old', 1, '2026-01-01 00:00:00'), (2, 'keep', 2, '2026-01-01 00:00:00')`);
      await s3.put('merge/a.csv', csv(['id', 'name', 'amount', 'updated_at'], [[1, 'new', '10', '2026-01-02 00:00:00'], [3, 'three', '30', '2026-01-02 00:00:00']]));
      const job = await loader.load({ batch: objects('merge/a.csv'), table: table('events'), mode: 'merge', keys: ['id'], order_by: 'updated_at' }, key());
      expect(ok(job)).toMatchObject({ rows_loaded: 2, rows_inserted: 1, rows_updated: 1, rows_deleted: 0 });
      expect(committed.at(-1)?.path).toBe('staged');
      expect(await wh.rows(`SELECT id, name FROM ${table('events')} ORDER BY id`)).toEqual([
        { id: 1, name: 'new' },
        { id: 2, name: 'keep' },
        { id: 3, name: 'three' },
      ]);
    });

    it('the body the Airflow operator sends: warehouse, and a bookmark batch with ETags', async () => {
      const a = await s3.put('op/a.csv', csv(['id', 'name', 'amount', 'updated_at'], [[1, 'a', '1', null]]));
      const batch = { source: `s3://${s3.bucket}/op/`, objects: [{ key: a.key, etag: a.etag, size: a.size, last_modified: '2026-11-26T10:00:00.000Z' }], total_bytes: a.size };
      ok(await loader.load({ warehouse: 'default', table: table('events'), mode: 'append', batch }, key()));
      // An object that changed since it was listed is refused (its ETag no longer matches).
      await s3.put('op/a.csv', csv(['id', 'name', 'amount', 'updated_at'], [[2, 'b', '2', null]]));
      const stale = await loader.load({ warehouse: 'default', table: table('events'), mode: 'append', batch }, key());
      expect(stale.error).toMatchObject({ code: 'DataError', status: 422 });
      expect(await wh.rows(`SELECT id FROM ${table('events')}`)).toEqual([{ id: 1 }]);
    });

    it('replace: swaps the table for the batch', async () => {
      await wh.exec(`INSERT INTO ${table('events')} VALUES (7, 'gone', 1, NULL), (8, 'gone', 2, NULL), (9, 'gone', 3, NULL)`);
      await s3.put('replace/a.csv', csv(['id', 'name', 'amount', 'updated_at'], [[1, 'a', '1', null], [2, 'b', '2', null]]));
      const job = await loader.load({ batch: objects('replace/a.csv'), table: table('events'), mode: 'replace' }, key());
      expect(ok(job)).toMatchObject({ rows_loaded: 2, rows_inserted: 2, rows_updated: 0, rows_deleted: 3 });
      expect(await wh.rows(`SELECT id FROM ${table('events')} ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
    });

    it('duplicate keys in a batch: the last by the ordering column wins; ties go to the row loaded last', async () => {
      await s3.put('dups/a.csv', csv(['id', 'name', 'amount', 'updated_at'], [
        [1, 'first', '1', '2026-01-02 00:00:00'],
        [1, 'latest', '1', '2026-01-03 00:00:00'],
        [1, 'oldest', '1', '2026-01-01 00:00:00'],
        [2, 'tie-a', '1', '2026-01-05 00:00:00'],
        [3, 'no-timestamp', '1', null],
      ]));
      await s3.put('dups/b.csv', csv(['id', 'name', 'amount', 'updated_at'], [
        [2, 'tie-b', '1', '2026-01-05 00:00:00'],
        [3, 'dated', '1', '2026-01-01 00:00:00'],
      ]));
      const job = await loader.load({ batch: objects('dups/a.csv', 'dups/b.csv'), table: table('events'), mode: 'merge', keys: ['id'], order_by: 'updated_at' }, key());
      expect(ok(job)).toMatchObject({ rows_loaded: 7, rows_inserted: 3, rows_updated: 0 });
      expect(await wh.rows(`SELECT id, name FROM ${table('events')} ORDER BY id`)).toEqual([
        { id: 1, name: 'latest' },
        { id: 2, name: 'tie-b' },
        { id: 3, name: 'dated' },
      ]);
    });

    it('a rerun with the same key loads nothing again and returns the first result', async () => {
      await s3.put('rerun/a.csv', csv(['id', 'name', 'amount', 'updated_at'], [[1, 'a', '1', null], [2, 'b', '2', null]]));
      const body = { batch: objects('rerun/a.csv'), table: table('events'), mode: 'append' };
      const k = key();
      const first = ok(await loader.load(body, k));
      // The same replica: the kit replays the job itself.
      const again = await loader.post(body, k);
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      // Another replica with its own job store (or a lost one): the ledger in the warehouse answers.
      const other = await loaderApp({ targets: new Map([['default', wh.target]]), s3: s3.client, warehouses: new Map() });
      try {
        const second = ok(await other.load(body, k));
        expect(second).toMatchObject({ replayed: true, rows_loaded: 2, rows_inserted: 2, committed_at: first.committed_at });
      } finally {
        await other.close();
      }
      expect(await wh.rows(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${table('events')}`)).toEqual([{ n: 2 }]);
    });

    it('the same key for a different load is a conflict, and writes nothing', async () => {
      await s3.put('conflict/a.csv', csv(['id', 'name', 'amount', 'updated_at'], [[1, 'a', '1', null]]));
      const k = key();
      ok(await loader.load({ batch: objects('conflict/a.csv'), table: table('events'), mode: 'append' }, k));
      const other = await loaderApp({ targets: new Map([['default', wh.target]]), s3: s3.client, warehouses: new Map() });
      try {
        const job = await other.load({ batch: objects('conflict/a.csv'), table: table('events'), mode: 'merge', keys: ['id'] }, k);
        expect(job).toMatchObject({ status: 'failed', error: { code: 'Idempotency.Conflict', status: 409, retryable: false } });
      } finally {
        await other.close();
      }
      expect(await wh.rows(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${table('events')}`)).toEqual([{ n: 1 }]);
    });

    it('loads JSON lines (gzip) and Parquet', async () => {
      await s3.putGzip('json/a.jsonl.gz', jsonl([{ id: 1, name: 'j1', amount: 1.25, updated_at: '2026-01-01 00:00:00' }, { id: 2, name: null, amount: 2, updated_at: null }]));
      ok(await loader.load({ batch: objects('json/a.jsonl.gz'), table: table('events'), mode: 'append' }, key()));
      await s3.putParquet('pq/a.parquet', `SELECT * FROM (VALUES (2, 'p2', 20.5::DECIMAL(12,2), TIMESTAMP '2026-01-02 00:00:00'), (3, 'p3', 30, NULL)) v(id, name, amount, updated_at)`);
      const job = await loader.load({ batch: objects('pq/a.parquet'), table: table('events'), mode: 'merge', keys: ['id'] }, key());
      expect(ok(job)).toMatchObject({ rows_loaded: 2, rows_inserted: 1, rows_updated: 1 });
      expect(await wh.rows(`SELECT id, name, CAST(amount AS VARCHAR) AS amount FROM ${table('events')} ORDER BY id`)).toEqual([
        { id: 1, name: 'j1', amount: '1.25' },
        { id: 2, name: 'p2', amount: '20.50' },
        { id: 3, name: 'p3', amount: '30.00' },
      ]);
    });

    describe('the direct path: a plain insert is copied straight into the table', () => {
      const keyed = async (ddl = 'id INTEGER PRIMARY KEY') => wh.exec(`CREATE TABLE ${table('keyed')} (${ddl}, name VARCHAR(100), amount NUMERIC(12,2), updated_at TIMESTAMP)`);
      const rowsOf = () => wh.rows(`SELECT id, name FROM ${table('keyed')} ORDER BY id`);
      const merge = (file: string) => loader.load({ batch: objects(file), table: table('keyed'), mode: 'merge', keys: ['id'], order_by: 'updated_at' }, key());

      it('merge into an empty table whose primary key is the merge key: direct, same result', async () => {
        await keyed();
        await s3.put('direct/a.csv', csv(['id', 'name', 'amount', 'updated_at'], [[2, 'b', '2', null], [1, 'a', '1', '2026-01-01 00:00:00']]));
        expect(ok(await merge('direct/a.csv'))).toMatchObject({ rows_loaded: 2, rows_inserted: 2, rows_updated: 0, rows_deleted: 0 });
        expect(committed.at(-1)?.path).toBe('direct');
        expect(await rowsOf()).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
        // The table now holds rows: the next merge goes through staging, and updates.
        await s3.put('direct/b.csv', csv(['id', 'name', 'amount', 'updated_at'], [[2, 'b2', '2', null], [3, 'c', '3', null]]));
        expect(ok(await merge('direct/b.csv'))).toMatchObject({ rows_loaded: 2, rows_inserted: 1, rows_updated: 1 });
        expect(committed.at(-1)?.path).toBe('staged');
        expect(await rowsOf()).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b2' }, { id: 3, name: 'c' }]);
      });

      it('a duplicate key in the batch stops the direct copy; the load goes staged and the last row wins', async () => {
        await keyed();
        await s3.put('direct/dups.csv', csv(['id', 'name', 'amount', 'updated_at'], [
          [1, 'older', '1', '2026-01-01 00:00:00'],
          [2, 'only', '2', null],
          [1, 'newer', '1', '2026-01-02 00:00:00'],
        ]));
        expect(ok(await merge('direct/dups.csv'))).toMatchObject({ rows_loaded: 3, rows_inserted: 2, rows_updated: 0 });
        expect(committed.at(-1)).toMatchObject({ path: 'direct, then staged', phases_ms: { direct_attempt: expect.any(Number) } });
        expect(await rowsOf()).toEqual([{ id: 1, name: 'newer' }, { id: 2, name: 'only' }]);
      });

      it('replace into a keyed table: direct, with the rows it replaced counted', async () => {
        await keyed();
        await wh.exec(`INSERT INTO ${table('keyed')} VALUES (7, 'gone', 1, NULL), (8, 'gone', 2, NULL)`);
        await s3.put('direct/replace.csv', csv(['id', 'name', 'amount', 'updated_at'], [[7, 'again', '1', null], [9, 'new', '2', null]]));
        const job = await loader.load({ batch: objects('direct/replace.csv'), table: table('keyed'), mode: 'replace', keys: ['id'] }, key());
        expect(ok(job)).toMatchObject({ rows_loaded: 2, rows_inserted: 2, rows_updated: 0, rows_deleted: 2 });
        expect(committed.at(-1)?.path).toBe('direct');
        expect(await rowsOf()).toEqual([{ id: 7, name: 'again' }, { id: 9, name: 'new' }]);
      });

      it('a NULL key under a unique constraint (which lets NULLs through): 422 DataError, nothing written', async () => {
        await keyed('id INTEGER UNIQUE');
        await s3.put('direct/nullkey.csv', csv(['id', 'name', 'amount', 'updated_at'], [[1, 'a', '1', null], [2, 'b', '1', null]]).replace('\n2,', '\n,'));
        const job = await merge('direct/nullkey.csv');
        expect(job.error).toMatchObject({ code: 'DataError', status: 422, errors: [{ path: '/keys/0' }] });
        expect(await rowsOf()).toEqual([]);
      });

      it('a unique key on other columns than the merge keys: staged', async () => {
        await keyed('id INTEGER, UNIQUE (name)');
        await s3.put('direct/other.csv', csv(['id', 'name', 'amount', 'updated_at'], [[1, 'a', '1', null]]));
        ok(await merge('direct/other.csv'));
        expect(committed.at(-1)?.path).toBe('staged');
      });

      it('JSON lines and Parquet go direct too', async () => {
        await keyed();
        await s3.put('direct/a.jsonl', jsonl([{ id: 1, name: 'j1', amount: 1.25, updated_at: null }]));
        ok(await loader.load({ batch: objects('direct/a.jsonl'), table: table('keyed'), mode: 'append' }, key()));
        expect(committed.at(-1)?.path).toBe('direct');
        await wh.exec(`DELETE FROM ${table('keyed')}`);
        await s3.putParquet('direct/a.parquet', `SELECT * FROM (VALUES (TIMESTAMP '2026-01-02 00:00:00', 20.5::DECIMAL(12,2), 'p2', 2)) v(updated_at, amount, name, id)`);
        expect(ok(await merge('direct/a.parquet'))).toMatchObject({ rows_loaded: 1, rows_inserted: 1 });
        expect(committed.at(-1)?.path).toBe('direct');
        expect(await wh.rows(`SELECT id, name, CAST(amount AS VARCHAR) AS amount FROM ${table('keyed')}`)).toEqual([{ id: 2, name: 'p2', amount: '20.50' }]);
      });
    });

    describe('schema drift is found before anything is written', () => {
      const drift = async (file: string, text: string, options: object = {}) => {
        await s3.put(file, text);
        return loader.load({ batch: objects(file), table: table('events'), mode: 'append', options }, key());
      };
      const nothingWritten = async () => expect(await wh.rows(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${table('events')}`)).toEqual([{ n: 0 }]);

      it('a missing column', async () => {
        const job = await drift('drift/missing.csv', csv(['id', 'amount', 'updated_at'], [[1, '1', null]]));
        expect(job.error).toMatchObject({ code: 'SchemaMismatch', status: 422, retryable: false });
        expect(job.error?.errors).toEqual([expect.objectContaining({ path: '/columns/name', message: expect.stringMatching(/^missing/) })]);
        await nothingWritten();
      });

      it('a new column, unless the load allows adding it', async () => {
        const text = csv(['id', 'name', 'amount', 'updated_at', 'extra'], [[1, 'a', '1', null, '42']]);
        const job = await drift('drift/new.csv', text);
        expect(job.error).toMatchObject({ code: 'SchemaMismatch', errors: [{ path: '/columns/extra', message: expect.stringMatching(/^new/) }] });
        await nothingWritten();
        const added = await drift('drift/new2.csv', text, { allow_new_columns: true });
        expect(ok(added)).toMatchObject({ rows_inserted: 1 });
        expect(await wh.rows(`SELECT id, CAST(extra AS INTEGER) AS extra FROM ${table('events')}`)).toEqual([{ id: 1, extra: 42 }]);
      });

      it('a JSON key first seen past the sampled start of an object: refused, not dropped', async () => {
        const early = Array.from({ length: 2000 }, (_, i) => ({ id: i + 1, name: `n${i + 1}-${'x'.repeat(40)}`, amount: 1, updated_at: null }));
        const late = [{ id: 9999, name: 'late', amount: 1, updated_at: null, surprise: 'kept?' }];
        await s3.put('drift/late.jsonl', jsonl([...early, ...late]));
        const job = await loader.load({ batch: objects('drift/late.jsonl'), table: table('events'), mode: 'append' }, key());
        expect(job.error).toMatchObject({ code: 'SchemaMismatch', status: 422, retryable: false, errors: [{ path: '/columns/surprise', message: expect.stringMatching(/^new: /) }] });
        await nothingWritten();
      });

      it('a type mismatch', async () => {
        const job = await drift('drift/type.csv', csv(['id', 'name', 'amount', 'updated_at'], [[1, 'a', 'twelve', null]]));
        expect(job.error).toMatchObject({ code: 'SchemaMismatch', errors: [{ path: '/columns/amount', message: expect.stringMatching(/type mismatch/) }] });
        await nothingWritten();
      });
    });

    describe('bad input: a clear 4xx, and nothing written', () => {
      const count = async () => (await wh.rows(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${table('events')}`))[0]?.n;

      it('an unknown table', async () => {
        await s3.put('bad/ok.csv', csv(['id'], [[1]]));
        const job = await loader.load({ batch: objects('bad/ok.csv'), table: table('nope'), mode: 'append' }, key());
        expect(job.error).toMatchObject({ code: 'TableNotFound', status: 422, retryable: false });
      });

      it.each([
        ['a table name with SQL in it', { table: 'events; DROP TABLE events' }, '/table'],
        ['a quoted table name', { table: 'public."events"' }, '/table'],
        ['a key with SQL in it', { keys: ['id) OR 1=1 --'], mode: 'merge' }, '/keys/0'],
        ['an ordering column with a quote', { order_by: "x'y" }, '/order_by'],
      ])('%s → 400 InvalidIdentifier at once', async (_name, override, path) => {
        const res = await loader.post({ batch: objects('bad/ok.csv'), table: table('events'), mode: 'append', ...override }, key());
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'InvalidIdentifier', errors: [expect.objectContaining({ path })] });
      });

      it('column names with SQL in them (CSV header, JSON key) → 400 InvalidIdentifier, table intact', async () => {
        await s3.put('bad/inject.csv', `id,"name"" text); DROP TABLE ${table('events')}; --"\n1,x\n`);
        const job = await loader.load({ batch: objects('bad/inject.csv'), table: table('events'), mode: 'append' }, key());
        expect(job.error).toMatchObject({ code: 'InvalidIdentifier', status: 400, retryable: false });
        await s3.put('bad/inject.jsonl', '{"id": 1, "a\\"b": 2}\n');
        const json = await loader.load({ batch: objects('bad/inject.jsonl'), table: table('events'), mode: 'append' }, key());
        expect(json.error).toMatchObject({ code: 'InvalidIdentifier' });
        expect(await count()).toBe(0);
      });

      it('an empty batch → 400 EmptyBatch', async () => {
        for (const batch of [{ objects: [] }, { source: `s3://${s3.bucket}/x/`, batch: { objects: [] } }]) {
          const res = await loader.post({ batch, table: table('events'), mode: 'append' }, key());
          expect(res.status).toBe(400);
          expect(res.body).toMatchObject({ code: 'EmptyBatch', retryable: false });
        }
      });

      it('corrupt files → 422 DataError', async () => {
        const cases: Array<[string, string | Buffer]> = [
          ['bad/binary.csv', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x0a])],
          ['bad/ragged.csv', 'id,name,amount,updated_at\n1,a,1,\n2,b\n'],
          ['bad/notparquet.parquet', 'this is not parquet at all, not even close'],
          ['bad/notjson.jsonl', '{"id": 1}\n{"id": \n'],
        ];
        for (const [file, body] of cases) {
          await s3.put(file, body);
          const job = await loader.load({ batch: objects(file), table: table('events'), mode: 'append' }, key());
          expect(job.error, file).toMatchObject({ code: 'DataError', status: 422, retryable: false });
        }
        expect(await count()).toBe(0);
      });

      it('a bad value past the sample is rejected by the warehouse, with its line; the batch rolls back whole', async () => {
        const rows = Array.from({ length: 4000 }, (_, i) => [i + 1, `name-${i + 1}-${'x'.repeat(20)}`, '1', null] as const);
        const text = csv(['id', 'name', 'amount', 'updated_at'], rows) + 'not-a-number,z,1,\n';
        await s3.put('bad/late.csv', text);
        const job = await loader.load({ batch: objects('bad/late.csv'), table: table('events'), mode: 'append' }, key());
        expect(job.error).toMatchObject({ code: 'DataError', status: 422 });
        expect(JSON.stringify(job.error)).toMatch(expected[t.kind].badValue);
        expect(await count()).toBe(0);
      });

      it('a missing object → 422 DataError', async () => {
        const job = await loader.load({ batch: objects('bad/does-not-exist.csv'), table: table('events'), mode: 'append' }, key());
        expect(job.error).toMatchObject({ code: 'DataError', status: 422 });
      });

      it('a NULL key → 422 DataError', async () => {
        await s3.put('bad/nullkey.csv', csv(['id', 'name', 'amount', 'updated_at'], [[1, 'a', '1', null]]).replace('\n1,', '\n,'));
        await wh.exec(`CREATE TABLE ${table('nullable_keys')} (id INTEGER, name VARCHAR(10), amount NUMERIC(12,2), updated_at TIMESTAMP)`);
        const job = await loader.load({ batch: objects('bad/nullkey.csv'), table: table('nullable_keys'), mode: 'merge', keys: ['id'] }, key());
        expect(job.error).toMatchObject({ code: 'DataError', errors: [{ path: '/keys/0' }] });
      });
    });

    it('the table type is what the introspector reports', async () => {
      const cols = await wh.target.introspector.describe({ schema: wh.schema, name: 'events' });
      expect(cols?.[0]).toMatchObject({ name: 'id', type: expected[t.kind].tableType, family: 'integer', nullable: false });
    });

    it('availability: 200 for a configured warehouse, 404 for an unknown one', async () => {
      const { default: request } = await import('supertest');
      const { AUTH } = await import('../testing/loader-app.js');
      const okRes = await request(loader.app).get('/v1/warehouses/default/availability').set(AUTH);
      expect(okRes.status).toBe(200);
      expect(okRes.body).toMatchObject({ status: 'available', warehouse: 'default', type: t.kind });
      const unknown = await request(loader.app).get('/v1/warehouses/nope/availability').set(AUTH);
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('Resource.NotFound');
    });
  });
}
