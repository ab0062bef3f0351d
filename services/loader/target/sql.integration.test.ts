/**
 * Quoting against injection, checked on the real parsers: any string, made a
 * literal by a target's compiler, reads back as itself; any plain identifier,
 * quoted, names a column that reads back. PostgreSQL runs when
 * DAGWRIGHT_PG_URL is set; DuckDB always.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { pgUrl } from '../../kit/testing/env.js';
import { duckdbAdapter } from './duckdb/duckdb-adapter.js';
import { DuckdbCompiler } from './duckdb/duckdb-compiler.js';
import { postgresAdapter } from './postgres/postgres-adapter.js';
import { PostgresCompiler } from './postgres/postgres-compiler.js';
import { RedshiftCompiler } from './redshift/redshift-compiler.js';
import { redshiftAdapter } from './redshift/redshift-adapter.js';
import { IDENTIFIER } from '../domain/identifiers.js';

const text = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\u0000'));
const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_$]{0,20}$/);

describe('literals and identifiers on real parsers', () => {
  it('DuckDB: literal(s) reads back as s; quoted identifiers name columns', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const compiler = new DuckdbCompiler(() => duckdbAdapter);
    try {
      await fc.assert(
        fc.asyncProperty(text, identifier, async (s, name) => {
          const rows = (await c.runAndReadAll(`SELECT ${compiler.literal(s)} AS ${compiler.ident(name)}`)).getRowObjects();
          expect(rows[0]?.[name]).toBe(s);
        }),
        { numRuns: 200 },
      );
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });

  const url = pgUrl();
  describe.skipIf(!url.available)('PostgreSQL', () => {
    const client = new pg.Client({ connectionString: url.value });
    afterAll(() => client.end());
    it('literal(s) reads back as s (E-strings for backslashes); quoted identifiers name columns', async () => {
      await client.connect();
      const compiler = new PostgresCompiler(() => postgresAdapter(150000));
      await fc.assert(
        fc.asyncProperty(text, identifier, async (s, name) => {
          const { rows } = await client.query(`SELECT ${compiler.literal(s)} AS ${compiler.ident(name)}`);
          expect(rows[0][name]).toBe(s);
        }),
        { numRuns: 200 },
      );
    });
  });

  it('Redshift literals double backslashes and quotes (its literals treat backslash as an escape)', () => {
    const rs = new RedshiftCompiler(() => redshiftAdapter);
    expect(rs.literal("a'b\\c")).toBe("'a''b\\\\c'");
  });

  it('identifiers: the validation pattern rejects every quote, space, dot, semicolon and comment', () => {
    for (const bad of ['a"b', 'a b', 'a.b', 'a;b', 'a--b', '1a', '', 'a/*b', "a'b", 'a\nb']) expect(IDENTIFIER.test(bad)).toBe(false);
  });
});
