import { describe, expect, it } from 'vitest';
import { ColumnSample, declaredColumn, duckdbFamily, familiesOfText, sqlFamily } from './families.js';
import { detectDrift } from './drift.js';
import type { BatchColumn, TableColumn, TypeFamily } from './types.js';

const col = (name: string, type: string, extra: Partial<TableColumn> = {}): TableColumn => ({ name, type, family: sqlFamily(type), nullable: true, hasDefault: false, ...extra });
const sampled = (name: string, ...values: Array<string | null>): BatchColumn => {
  const s = new ColumnSample(name);
  for (const v of values) s.add(v === null ? null : familiesOfText(v));
  return s.column('csv values');
};

describe('type families', () => {
  it.each<[string, TypeFamily, boolean]>([
    ['42', 'integer', true],
    ['42', 'decimal', true],
    ['1', 'boolean', true],
    ['42', 'boolean', false],
    ['4.2', 'integer', false],
    ['4.2', 'decimal', true],
    ['1e10', 'float', true],
    ['1e10', 'decimal', false],
    ['2026-01-31', 'date', true],
    ['2026-01-31', 'timestamp', true],
    ['2026-01-31T10:00:00Z', 'date', false],
    ['2026-01-31 10:00:00.123+02:00', 'timestamp', true],
    ['abc', 'text', true],
    ['abc', 'integer', false],
    ['{"a": 1}', 'json', true],
    ['{not json', 'json', false],
    ['550e8400-e29b-41d4-a716-446655440000', 'uuid', true],
  ])('%s fits %s: %s', (value, family, fits) => {
    expect(familiesOfText(value).has(family)).toBe(fits);
  });

  it.each<[string, TypeFamily]>([
    ['integer', 'integer'],
    ['numeric(12,2)', 'decimal'],
    ['character varying(100)', 'text'],
    ['timestamp with time zone', 'timestamp'],
    ['jsonb', 'json'],
    ['SUPER', 'json'],
    ['tsvector', 'other'],
  ])('SQL type %s is %s', (type, family) => expect(sqlFamily(type)).toBe(family));

  it.each<[string, TypeFamily]>([
    ['BIGINT', 'integer'],
    ['DECIMAL(12,2)', 'decimal'],
    ['TIMESTAMP WITH TIME ZONE', 'timestamp'],
    ['STRUCT(a INTEGER)', 'json'],
    ['INTEGER[]', 'json'],
    ['VARCHAR', 'text'],
  ])('DuckDB type %s is %s', (type, family) => expect(duckdbFamily(type)).toBe(family));

  it('a column of nulls fits everything, and is created as text', () => {
    const c = sampled('x', null, null);
    expect(c.fits.has('integer')).toBe(true);
    expect(c.preferred).toBe('text');
  });
});

describe('detectDrift', () => {
  const table = [col('id', 'integer', { nullable: false }), col('name', 'text'), col('amount', 'numeric(12,2)'), col('loaded_at', 'timestamp', { hasDefault: true })];

  it('a batch that fits: no errors (a column with a default may be absent)', () => {
    const batch = { columns: [sampled('id', '1', '2'), sampled('name', 'a', null), sampled('amount', '1.5', '2')] };
    expect(detectDrift(table, batch, false)).toEqual({ added: [], errors: [] });
  });

  it('lists every difference at once', () => {
    const batch = { columns: [sampled('id', '1', 'x'), sampled('amount', '1.5'), sampled('extra', '7')] };
    const { errors } = detectDrift(table, batch, false);
    expect(errors.map((e) => [e.path, e.message.split(':')[0]])).toEqual([
      ['/columns/name', 'missing'],
      ['/columns/id', 'type mismatch'],
      ['/columns/extra', 'new'],
    ]);
  });

  it('new columns are added when allowed, with the narrowest type their values fit', () => {
    const batch = { columns: [sampled('id', '1'), sampled('name', 'a'), sampled('amount', '1'), sampled('extra', '7', '8')] };
    const { added, errors } = detectDrift(table, batch, true);
    expect(errors).toEqual([]);
    expect(added.map((c) => [c.name, c.preferred])).toEqual([['extra', 'integer']]);
  });

  it('typed (Parquet) columns widen, never narrow', () => {
    const t = [col('n', 'bigint'), col('d', 'numeric'), col('s', 'text')];
    const ok = detectDrift(t, { columns: [declaredColumn('n', 'integer', 'parquet INTEGER'), declaredColumn('d', 'integer', 'parquet BIGINT'), declaredColumn('s', 'date', 'parquet DATE')] }, false);
    expect(ok.errors).toEqual([]);
    const bad = detectDrift([col('n', 'integer')], { columns: [declaredColumn('n', 'float', 'parquet DOUBLE')] }, false);
    expect(bad.errors[0]?.message).toBe('type mismatch: the table has integer, the batch has parquet DOUBLE');
  });
});
