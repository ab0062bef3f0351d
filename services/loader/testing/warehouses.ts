import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pgUrl } from '../../kit/testing/env.js';
import { Secret } from '../config/secret.js';
import type { WarehouseConfig } from '../config/warehouses.js';
import { ParquetTools } from '../source/parquet.js';
import { openTarget } from '../target/open-target.js';
import type { Row, WarehouseTarget } from '../target/target.js';

/** The targets the conformance suite runs on (Redshift has no server here: it has golden and mock tests). */
export const CONFORMANCE_TARGETS = ['postgres', 'duckdb'] as const;
export type ConformanceTarget = (typeof CONFORMANCE_TARGETS)[number];

/** A fresh, empty warehouse for one test: a new PostgreSQL schema, or a new DuckDB file. */
export interface TestWarehouse {
  readonly kind: ConformanceTarget;
  /** Where test tables go; also the warehouse's default schema. */
  readonly schema: string;
  readonly config: WarehouseConfig;
  /** The loader's target for this warehouse (shared with the loader under test in-process). */
  readonly target: WarehouseTarget;
  exec(sql: string): Promise<void>;
  /** Rows with bigint/decimal values as numbers/strings, for assertions. */
  rows(sql: string): Promise<Row[]>;
  /** Closes the target (DuckDB: releases the file for another process). */
  release(): Promise<void>;
  dispose(): Promise<void>;
}

export interface TargetAvailability {
  readonly kind: ConformanceTarget;
  readonly available: boolean;
  readonly reason: string;
  open(): Promise<TestWarehouse>;
}

/**
 * Which targets run: all, or those named in `DAGWRIGHT_LOADER_TARGETS`
 * (comma-separated, e.g. `duckdb`). PostgreSQL needs `DAGWRIGHT_PG_URL`
 * (with CI=true its absence fails the run).
 */
export function conformanceTargets(): TargetAvailability[] {
  const only = (process.env.DAGWRIGHT_LOADER_TARGETS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const wanted = CONFORMANCE_TARGETS.filter((t) => only.length === 0 || only.includes(t));
  return wanted.map((kind) => {
    if (kind === 'duckdb') return { kind, available: true, reason: '', open: openDuckdb };
    const req = pgUrl();
    return { kind, available: req.available, reason: req.reason, open: () => openPostgres(req.value) };
  });
}

async function openDuckdb(): Promise<TestWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'dw-loader-wh-'));
  const parquet = new ParquetTools(dir);
  const path = join(dir, `wh-${randomBytes(5).toString('hex')}.duckdb`);
  const config: WarehouseConfig = { type: 'duckdb', path };
  let target = openTarget('default', config, { parquet, tempDir: dir });
  return {
    kind: 'duckdb',
    schema: 'main',
    config,
    get target() {
      return target;
    },
    exec: (sql) => target.driver.run(sql),
    rows: async (sql) => (await target.driver.query(sql)).map(normalize),
    async release() {
      await target.close();
      target = openTarget('default', config, { parquet, tempDir: dir });
    },
    async dispose() {
      await target.close();
      await parquet.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(url: string): Promise<TestWarehouse> {
  const schema = `lt_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const config: WarehouseConfig = { type: 'postgres', url: new Secret(url), schema, ledger: `${schema}.dagwright_load_ledger` };
  const dir = mkdtempSync(join(tmpdir(), 'dw-loader-wh-'));
  const parquet = new ParquetTools(dir);
  const target = openTarget('default', config, { parquet, tempDir: dir });
  return {
    kind: 'postgres',
    schema,
    config,
    target,
    exec: (sql) => target.driver.run(sql),
    rows: async (sql) => (await target.driver.query(sql)).map(normalize),
    release: async () => undefined,
    async dispose() {
      await target.driver.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await target.close();
      await parquet.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function normalize(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'bigint') out[k] = Number(v);
    else if (v !== null && typeof v === 'object' && !(v instanceof Date) && !Array.isArray(v) && !Buffer.isBuffer(v)) out[k] = String(v);
    else out[k] = v;
  }
  return out;
}
