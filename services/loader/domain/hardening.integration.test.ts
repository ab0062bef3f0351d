/**
 * Deterministic loader failures are precise 422s, never a retryable `Internal`, and the
 * loader's own staging columns never collide with a batch's (issue 11, findings 8-10).
 * Real PostgreSQL (DAGWRIGHT_PG_URL), an embedded DuckDB file and S3 on moto.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../kit/jobs/types.js';
import { MAX_NEW_COLUMNS_PER_LOAD } from './limits.js';
import request from 'supertest';
import { AUTH, loaderApp, type LoaderApp } from '../testing/loader-app.js';
import { csv, S3Fixture } from '../testing/s3-fixture.js';
import { conformanceTargets, type TestWarehouse } from '../testing/warehouses.js';

const s3req = S3Fixture.requirement();

for (const t of conformanceTargets()) {
  describe.skipIf(!t.available || !s3req.available)(`loader hardening: ${t.kind}`, () => {
    let s3: S3Fixture;
    let wh: TestWarehouse;
    let loader: LoaderApp;
    let n = 0;
    const key = () => `dag/load/hardening_${++n}_${Date.now()}/-1`;
    const table = (name: string) => `${wh.schema}.${name}`;
    const objects = (...keys: string[]) => ({ source: `s3://${s3.bucket}/`, objects: keys.map((k) => ({ key: k })) });
    const failed = (job: Job) => {
      expect(job.status).toBe('failed');
      return job.error as { code: string; status: number; retryable: boolean; detail: string };
    };

    beforeAll(async () => {
      s3 = await S3Fixture.create(s3req.value);
    });
    beforeEach(async () => {
      wh = await t.open();
      loader = await loaderApp({ targets: new Map([['default', wh.target]]), s3: s3.client, warehouses: new Map() });
      await wh.exec(`CREATE TABLE ${table('events')} (id INTEGER NOT NULL, name VARCHAR(100))`);
      return async () => {
        await loader.close();
        await wh.dispose();
      };
    });

    it('a batch nested 5,000 levels deep and a malformed percent-encoding: 400 Request.Invalid (findings 6, 7)', async () => {
      const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      const post = await request(loader.app).post('/v1/loads').set(AUTH).set('Idempotency-Key', key()).set('Content-Type', 'application/json')
        .send(`{"table":"events","mode":"append","batch":{"objects":${deep}}}`);
      expect(post.status).toBe(400);
      expect(post.body.code).toBe('Request.Invalid');
      for (const path of ['/v1/jobs/%', '/v1/warehouses/%E0%A4%A/availability']) {
        const res = await request(loader.app).get(path).set(AUTH);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('Request.Invalid');
      }
    });

    it('a NUL in csv.null is a 422 Load.UnsupportedOption, and nothing is loaded (finding 8)', async () => {
      await s3.put('nul/a.csv', csv(['id', 'name'], [[1, 'a']]));
      const job = await loader.load({ batch: objects('nul/a.csv'), table: table('events'), mode: 'append', options: { csv: { null: 'x\u0000' } } }, key());
      expect(failed(job)).toMatchObject({ code: 'Load.UnsupportedOption', status: 422, retryable: false });
      expect(await wh.rows(`SELECT id FROM ${table('events')}`)).toEqual([]);
    });

    it('a multi-byte delimiter: a 422 Load.UnsupportedOption where the warehouse takes one byte only (finding 8)', async () => {
      await s3.put('delim/a.csv', 'idéname\n1éa\n');
      const job = await loader.load({ batch: objects('delim/a.csv'), table: table('events'), mode: 'append', options: { csv: { delimiter: 'é' } } }, key());
      if (t.kind === 'postgres') {
        expect(failed(job)).toMatchObject({ code: 'Load.UnsupportedOption', status: 422, retryable: false });
        expect(failed(job).detail).toContain('one byte');
      } else {
        expect(job.status).toBe('succeeded');
        expect(await wh.rows(`SELECT id, name FROM ${table('events')}`)).toEqual([{ id: 1, name: 'a' }]);
      }
    });

    it(`more than ${MAX_NEW_COLUMNS_PER_LOAD} new columns in one load is a 422 Load.TooManyColumns; the table is untouched (findings 8, 9)`, async () => {
      await wh.exec(`INSERT INTO ${table('events')} VALUES (7, 'seven')`);
      const wide = [...Array.from({ length: 2000 }, (_, i) => `c${i}`)];
      await s3.put('wide/a.csv', csv(['id', 'name', ...wide], [[1, 'a', ...wide.map((_, i) => i)]]));
      const started = Date.now();
      const job = await loader.load({ batch: objects('wide/a.csv'), table: table('events'), mode: 'append', options: { allow_new_columns: true } }, key());
      expect(failed(job)).toMatchObject({ code: 'Load.TooManyColumns', status: 422, retryable: false });
      expect(failed(job).detail).toContain(`at most ${MAX_NEW_COLUMNS_PER_LOAD}`);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(await wh.rows(`SELECT * FROM ${table('events')}`)).toEqual([{ id: 7, name: 'seven' }]);
      // Within the limit, new columns are added.
      const some = Array.from({ length: MAX_NEW_COLUMNS_PER_LOAD }, (_, i) => `d${i}`);
      await s3.put('wide/b.csv', csv(['id', 'name', ...some], [[2, 'b', ...some.map((_, i) => i)]]));
      expect((await loader.load({ batch: objects('wide/b.csv'), table: table('events'), mode: 'append', options: { allow_new_columns: true } }, key())).status).toBe('succeeded');
    });

    if (t.kind === 'postgres') {
      it('PostgreSQL: new columns past its 1,600 columns a table may have are a 422 Load.TooManyColumns (finding 8)', async () => {
        const existing = Array.from({ length: 1590 }, (_, i) => `e${i}`);
        await wh.exec(`CREATE TABLE ${table('wide')} (${existing.map((c) => `${c} INTEGER`).join(', ')})`);
        const added = Array.from({ length: 20 }, (_, i) => `n${i}`);
        await s3.put('pgwide/a.csv', csv([...existing, ...added], [[...existing.map(() => 1), ...added.map(() => 2)]]));
        const job = await loader.load({ batch: objects('pgwide/a.csv'), table: table('wide'), mode: 'append', options: { allow_new_columns: true } }, key());
        expect(failed(job)).toMatchObject({ code: 'Load.TooManyColumns', status: 422 });
        expect(failed(job).detail).toContain('1600');
      });
    }

    it('a data column named like an old staging column (dw_seq, rowid, dw_rn, ordinality) merges correctly: the last row wins (findings 8, 10)', async () => {
      await wh.exec(`CREATE TABLE ${table('odd')} (id INTEGER NOT NULL, dw_seq INTEGER, "rowid" INTEGER, dw_rn INTEGER, "ordinality" INTEGER, name VARCHAR(20))`);
      await wh.exec(`INSERT INTO ${table('odd')} VALUES (1, 0, 0, 0, 0, 'old')`);
      // Later rows carry smaller dw_seq / rowid / dw_rn values: a staging column that shadowed them would pick the first row.
      await s3.put('odd/a.csv', csv(['id', 'dw_seq', 'rowid', 'dw_rn', 'ordinality', 'name'], [
        [1, 9, 9, 9, 9, 'first'],
        [1, 5, 5, 5, 5, 'middle'],
        [1, 1, 1, 1, 1, 'last'],
        [2, 3, 3, 3, 3, 'two-first'],
        [2, 2, 2, 2, 2, 'two-last'],
      ]));
      const job = await loader.load({ batch: objects('odd/a.csv'), table: table('odd'), mode: 'merge', keys: ['id'] }, key());
      expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
      expect(job.result).toMatchObject({ rows_loaded: 5, rows_inserted: 1, rows_updated: 1 });
      expect(await wh.rows(`SELECT id, name, dw_seq, "ordinality" FROM ${table('odd')} ORDER BY id`)).toEqual([
        { id: 1, name: 'last', dw_seq: 1, ordinality: 1 },
        { id: 2, name: 'two-last', dw_seq: 2, ordinality: 2 },
      ]);
    });

    it('a batch column with the reserved staging prefix is a 422 Load.ReservedColumn (finding 8)', async () => {
      await s3.put('reserved/a.csv', csv(['id', 'name', '__DAGWRIGHT_seq'], [[1, 'a', 1]]));
      const job = await loader.load({ batch: objects('reserved/a.csv'), table: table('events'), mode: 'append', options: { allow_new_columns: true } }, key());
      expect(failed(job)).toMatchObject({ code: 'Load.ReservedColumn', status: 422, retryable: false });
      expect(await wh.rows(`SELECT id FROM ${table('events')}`)).toEqual([]);
    });
  });
}
