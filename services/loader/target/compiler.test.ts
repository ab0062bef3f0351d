/**
 * Golden SQL: the statements each target's compiler generates for one load,
 * checked into `<target>/__golden__/*.sql`. Reviewers read the diff; a change
 * in the SQL is a change in a golden file. Redshift's goldens are the only
 * check of its SQL here: no Redshift is reachable from these tests.
 * Regenerate with `npx vitest run services/loader/target/compiler.test.ts -u`.
 */
import { describe, expect, it } from 'vitest';
import type { LoadMode } from '../domain/types.js';
import { duckdbAdapter } from './duckdb/duckdb-adapter.js';
import { DuckdbCompiler } from './duckdb/duckdb-compiler.js';
import { postgresAdapter } from './postgres/postgres-adapter.js';
import { PostgresCompiler } from './postgres/postgres-compiler.js';
import { redshiftAdapter } from './redshift/redshift-adapter.js';
import { RedshiftCompiler } from './redshift/redshift-compiler.js';
import { buildManifest, manifestLocation, RedshiftStager } from './redshift/redshift-stager.js';
import type { CompiledLoad, LoadPlan, SqlCompiler, StageBatch } from './target.js';

const LOAD_ID = '0123456789abcdef';
const KEY = "dag/load/scheduled__2026-11-26T10:00:00+00:00/-1 it's \\ quoted";

function plan(mode: LoadMode, over: Partial<LoadPlan> = {}): LoadPlan {
  return {
    table: { schema: 'analytics', name: 'events' },
    ledger: { schema: 'analytics', name: 'dagwright_load_ledger' },
    names: { stage: `dw_stage_${LOAD_ID}`, dedup: `dw_dedup_${LOAD_ID}`, guard: `dw_guard_${LOAD_ID}` },
    columns: [
      { name: 'id', type: 'BIGINT' },
      { name: 'Name', type: 'VARCHAR(256)' },
      { name: 'updated_at', type: 'TIMESTAMP' },
    ],
    added: [],
    mode,
    keys: mode === 'merge' ? ['id'] : [],
    orderBy: mode === 'merge' ? 'updated_at' : undefined,
    ledgerRow: { key: KEY, fingerprint: 'f'.repeat(64), loadId: LOAD_ID, table: 'analytics.events', mode, bytes: 123456, objects: 2 },
    ...over,
  };
}

const compilers: Record<'postgres' | 'duckdb' | 'redshift', SqlCompiler> = {
  postgres: new PostgresCompiler(() => postgresAdapter(150000)),
  duckdb: new DuckdbCompiler(() => duckdbAdapter),
  redshift: new RedshiftCompiler(() => redshiftAdapter),
};

const cases: Array<[string, LoadPlan]> = [
  ['append', plan('append')],
  ['append-dedupe', plan('append', { keys: ['id'], orderBy: 'updated_at' })],
  ['merge', plan('merge')],
  ['merge-two-keys-no-order', plan('merge', { keys: ['id', 'Name'], orderBy: undefined })],
  ['merge-only-keys', plan('merge', { columns: [{ name: 'id', type: 'BIGINT' }], orderBy: undefined })],
  ['replace', plan('replace')],
  ['merge-new-column', plan('merge', { added: [{ name: 'extra', type: 'TEXT' }] })],
];

function render(compiled: CompiledLoad, copy?: string, sentInOnePiece = false): string {
  const section = (title: string, sqls: readonly string[]) => (sqls.length > 0 ? `-- ${title}\n${sqls.map((s) => (s.startsWith('--') ? s : `${s};`)).join('\n')}\n` : '');
  return [
    section('new columns (inside the transaction when DDL is transactional, else just before it)', compiled.addColumns),
    section('BEGIN; then', compiled.begin),
    section('staging (the stager)', copy ? [copy] : ['-- COPY … (streamed by the stager)']),
    section('checks (interactive drivers): each must return no row', compiled.checks.map((c) => c.sql)),
    ...(sentInOnePiece && compiled.checks.length > 0 ? [section('checks (the Data API, sent in one piece): a failed check empties the guard, so nothing is written', compiled.checks.map((c) => c.guard))] : []),
    section('then; COMMIT', compiled.finish),
  ].join('\n');
}

const batch = (format: StageBatch['format'], keys: string[], header = true): StageBatch => ({
  objects: keys.map((key, i) => ({ bucket: 'landing', key, size: 1000 * (i + 1), etag: undefined })),
  format,
  options: { allow_new_columns: false, compression: 'auto', csv: { delimiter: ',', header, null: '' }, columns: undefined },
});

describe('golden SQL', () => {
  for (const [target, compiler] of Object.entries(compilers)) {
    it.each(cases)(`${target}: %s`, async (name, p) => {
      const stager = new RedshiftStager(compilers.redshift as RedshiftCompiler, { iamRole: 'arn:aws:iam::123456789012:role/dagwright-load', manifestPrefix: 's3://dagwright-manifests/loads/' });
      const copy = target === 'redshift' ? stager.copy(p, batch('csv', ['in/a.csv', 'in/b.csv']), manifestLocation('s3://dagwright-manifests/loads/', LOAD_ID).url) : undefined;
      await expect(render(compiler.compileLoad(p), copy, target === 'redshift')).toMatchFileSnapshot(`./${target}/__golden__/${name}.sql`);
    });

    it(`${target}: the ledger`, async () => {
      const ledger = { schema: 'analytics', name: 'dagwright_load_ledger' };
      await expect([...compiler.createLedger(ledger), compiler.readLedger(ledger, KEY)].map((s) => `${s};`).join('\n') + '\n').toMatchFileSnapshot(`./${target}/__golden__/ledger.sql`);
    });
  }

  /** The direct path (interactive targets with `directLoads`): one golden per target, the three modes in it. */
  for (const target of ['postgres', 'duckdb'] as const) {
    it(`${target}: the direct path`, async () => {
      const compiler = compilers[target];
      const sections = (
        [
          ['append, no keys', plan('append'), []],
          ['merge into an empty table (a nullable key is checked after the copy)', plan('merge'), ['id']],
          ['replace', plan('replace'), []],
        ] as Array<[string, LoadPlan, string[]]>
      ).map(([title, p, nullable]) => {
        const d = compiler.compileDirect(p, nullable);
        return [
          `-- ${title}`,
          '-- BEGIN; then',
          ...d.begin.map((s) => `${s};`),
          '-- probe',
          `${d.probe};`,
          ...d.clear.map((s) => `${s};`),
          '-- COPY straight into the table (the stager)',
          ...d.checks.map((c) => `${c.sql};`),
          `${d.ledger({ loaded: 5000000, deleted: p.mode === 'replace' ? 42 : 0 })};`,
          '-- COMMIT',
        ].join('\n');
      });
      await expect(sections.join('\n\n') + '\n').toMatchFileSnapshot(`./${target}/__golden__/direct.sql`);
    });
  }

  it('PostgreSQL before 15 has no MERGE: DELETE … USING + INSERT', async () => {
    await expect(render(new PostgresCompiler(() => postgresAdapter(140011)).compileLoad(plan('merge')))).toMatchFileSnapshot('./postgres/__golden__/merge-pg14.sql');
  });
});

describe('golden Redshift COPY and manifest', () => {
  const compiler = compilers.redshift as RedshiftCompiler;
  const stager = new RedshiftStager(compiler, { iamRole: 'arn:aws:iam::123456789012:role/dagwright-load', manifestPrefix: 's3://dagwright-manifests/loads' });
  const url = manifestLocation('s3://dagwright-manifests/loads', LOAD_ID).url;

  it.each([
    ['copy-csv', batch('csv', ['in/a.csv', 'in/b.csv'])],
    ['copy-csv-gzip-headerless', { ...batch('csv', ['in/a.csv.gz'], false), options: { ...batch('csv', [], false).options, csv: { delimiter: '|', header: false, null: '\\N' } } }],
    ['copy-jsonl-gzip', batch('jsonl', ['in/a.jsonl.gz', 'in/b.jsonl.gz'])],
    ['copy-parquet', batch('parquet', ['in/a.parquet'])],
  ] as Array<[string, StageBatch]>)('%s', async (name, b) => {
    await expect(`${stager.copy(plan('merge'), b, url)};\n`).toMatchFileSnapshot(`./redshift/__golden__/${name}.sql`);
  });

  it('the manifest names exactly the batch objects, mandatory, with their lengths', async () => {
    expect(url).toBe(`s3://dagwright-manifests/loads/${LOAD_ID}.manifest`);
    await expect(buildManifest(batch('parquet', ['in/a.parquet', 'in/b.parquet'])) + '\n').toMatchFileSnapshot('./redshift/__golden__/manifest.json');
  });

  it('load errors: SYS_LOAD_ERROR_DETAIL by query id, STL_LOAD_ERRORS by files and time', async () => {
    const sys = compiler.loadErrors('sys', { queryId: 4242 });
    const stl = compiler.loadErrors('stl', { files: ['s3://landing/in/a.csv', "s3://landing/in/o'brien.csv"], since: '2026-11-26 10:00:00' });
    const describeTable = compiler.describeTable({ schema: undefined, name: 'events' }, 'public');
    await expect([sys, stl, describeTable].map((s) => `${s};`).join('\n') + '\n').toMatchFileSnapshot('./redshift/__golden__/load-errors.sql');
  });
});
