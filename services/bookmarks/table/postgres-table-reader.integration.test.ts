/**
 * Integration: table sources against a real PostgreSQL (DAGWRIGHT_PG_URL):
 * the high-watermark on strictly increasing keys, through the service.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openState, type StateBackend } from '../../kit/state/open-state.js';
import { pgUrl } from '../../kit/testing/env.js';
import type { TableBatch } from '../domain/types.js';
import { MemoryBucket } from '../testing/memory-bucket.js';
import { BookmarkService } from '../domain/bookmark-service.js';
import { openBookmarkStore } from '../store/open-bookmark-store.js';
import { PostgresTableReader } from './postgres-table-reader.js';
import { beginInput } from '../domain/request.js';

const url = pgUrl();

describe.skipIf(!url.available)('table sources on PostgreSQL', () => {
  const schema = `t_${randomBytes(5).toString('hex')}`;
  let pool: pg.Pool;
  let state: StateBackend;
  let svc: BookmarkService;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: url.value, max: 2 });
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`CREATE TABLE ${schema}.orders (day date NOT NULL, id bigint NOT NULL, PRIMARY KEY (day, id))`);
    state = await openState({ spec: join(mkdtempSync(join(tmpdir(), 'dw-tbl-')), 's.sqlite') });
    const store = openBookmarkStore(state);
    await store.migrate();
    svc = new BookmarkService({ store, lister: new MemoryBucket('unused'), tables: { wh: new PostgresTableReader(pool) } });
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await pool.end();
    await state.close();
  });

  const range = async (runId: string, keys = ['day', 'id']) =>
    ((await svc.begin(beginInput('orders', { run_id: runId, source: `table://wh/${schema}.orders`, keys }, svc.tableConnections), 'it')).batch as TableBatch).range;

  it('reads (after, through] on composite keys, fixed at begin', async () => {
    expect(await range('r0')).toEqual({ keys: ['day', 'id'], after: null, through: null });
    await svc.commit('orders', 'r0', 'it');
    await pool.query(`INSERT INTO ${schema}.orders VALUES ('2026-01-01', 1), ('2026-01-01', 2), ('2026-01-02', 1)`);
    const r1 = await range('r1');
    expect(r1.after).toBeNull();
    expect(r1.through?.[1]).toBe(1);
    expect(String(r1.through?.[0])).toMatch(/^2026-01-0[12]/);
    await pool.query(`INSERT INTO ${schema}.orders VALUES ('2026-01-03', 1)`);
    expect(await range('r1')).toEqual(r1);
    await svc.commit('orders', 'r1', 'it');
    const r2 = await range('r2');
    expect(r2.after).toEqual(r1.through);
    expect(r2.through).not.toEqual(r1.through);
  });

  it('a missing table fails with TableNotFound; an unknown key column with Request.Invalid', async () => {
    const reader = new PostgresTableReader(pool);
    await expect(reader.maxKey(`${schema}.nope`, ['id'])).rejects.toMatchObject({ code: 'TableNotFound' });
    await expect(reader.maxKey(`${schema}.orders`, ['nope'])).rejects.toMatchObject({ code: 'Request.Invalid' });
    await expect(reader.maxKey(`${schema}.orders`, ['id; drop table x'])).rejects.toMatchObject({ code: 'InvalidIdentifier' });
  });
});
