import type { BatchColumn, TypeFamily } from './types.js';

/**
 * What a batch column's values can be loaded into. Untyped sources (CSV, the
 * strings of JSON) are judged from a sample of values: a column fits a family
 * when every sampled value parses as it. Typed sources (Parquet) fit their
 * declared family and everything it widens to.
 */

const ALL: readonly TypeFamily[] = ['boolean', 'integer', 'decimal', 'float', 'date', 'timestamp', 'time', 'uuid', 'json', 'binary', 'text', 'other'];

/** Preference when a new column is created from a sample: the narrowest family first. */
const PREFERENCE: readonly TypeFamily[] = ['integer', 'decimal', 'float', 'boolean', 'date', 'timestamp', 'time', 'uuid', 'json', 'binary', 'text'];

/** A declared family widens to these (loading is lossless or standard). */
const WIDENS: Record<TypeFamily, readonly TypeFamily[]> = {
  boolean: ['boolean', 'text', 'other'],
  integer: ['integer', 'decimal', 'float', 'text', 'json', 'other'],
  decimal: ['decimal', 'float', 'text', 'json', 'other'],
  float: ['float', 'decimal', 'text', 'json', 'other'],
  date: ['date', 'timestamp', 'text', 'other'],
  timestamp: ['timestamp', 'text', 'other'],
  time: ['time', 'text', 'other'],
  uuid: ['uuid', 'text', 'other'],
  json: ['json', 'text', 'other'],
  binary: ['binary', 'other'],
  text: ['text', 'other'],
  other: ['other', 'text'],
};

const INTEGER = /^[+-]?\d{1,18}$/;
const DECIMAL = /^[+-]?(\d+\.\d*|\.\d+|\d+)$/;
const FLOAT = /^[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf(inity)?|nan)$/i;
const BOOLEAN = /^(true|false|t|f|yes|no|y|n|on|off|1|0)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The families one text value parses as. */
export function familiesOfText(value: string): Set<TypeFamily> {
  const v = value.trim();
  const out = new Set<TypeFamily>(['text', 'other']);
  if (INTEGER.test(v)) out.add('integer');
  if (DECIMAL.test(v)) out.add('decimal');
  if (FLOAT.test(v)) out.add('float');
  if (BOOLEAN.test(v)) out.add('boolean');
  if (DATE.test(v)) out.add('date').add('timestamp');
  if (TIMESTAMP.test(v)) out.add('timestamp');
  if (TIME.test(v)) out.add('time');
  if (UUID.test(v)) out.add('uuid');
  if (/^[[{]/.test(v)) {
    try {
      JSON.parse(v);
      out.add('json');
    } catch {
      /* not JSON */
    }
  }
  return out;
}

/** The families one JSON value fits. */
export function familiesOfJson(value: unknown): Set<TypeFamily> {
  if (typeof value === 'string') return familiesOfText(value);
  if (typeof value === 'boolean') return new Set(['boolean', 'text', 'json', 'other']);
  if (typeof value === 'number') {
    const text = String(value);
    return new Set<TypeFamily>([...(Number.isInteger(value) && INTEGER.test(text) ? WIDENS.integer : WIDENS.float)]);
  }
  return new Set(['json', 'text', 'other']);
}

/** Accumulates the values of one column; `null` values fit everything. */
export class ColumnSample {
  private fits: Set<TypeFamily> = new Set(ALL);
  private seen = 0;

  constructor(readonly name: string) {}

  add(families: Set<TypeFamily> | null): void {
    if (families === null) return;
    this.seen++;
    for (const f of this.fits) if (!families.has(f)) this.fits.delete(f);
  }

  column(evidence: string): BatchColumn {
    const preferred = this.seen === 0 ? 'text' : (PREFERENCE.find((f) => this.fits.has(f)) ?? 'text');
    return { name: this.name, fits: this.fits, preferred, evidence: this.seen === 0 ? `${evidence} (no values sampled)` : evidence };
  }
}

/** A typed column (Parquet): its family and what it widens to. */
export function declaredColumn(name: string, family: TypeFamily, evidence: string): BatchColumn {
  return { name, fits: new Set(WIDENS[family]), preferred: family === 'other' ? 'text' : family, evidence };
}

/** DuckDB type names (what it reports for Parquet) → family. */
export function duckdbFamily(type: string): TypeFamily {
  const t = type.toUpperCase();
  if (t === 'BOOLEAN') return 'boolean';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(t)) return 'integer';
  if (t.startsWith('DECIMAL')) return 'decimal';
  if (t === 'FLOAT' || t === 'DOUBLE' || t === 'REAL') return 'float';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  if (t.startsWith('TIME')) return 'time';
  if (t === 'UUID') return 'uuid';
  if (t === 'JSON' || t.endsWith('[]') || /^(STRUCT|MAP|LIST|UNION)/.test(t)) return 'json';
  if (t === 'BLOB') return 'binary';
  if (t === 'VARCHAR' || t.startsWith('VARCHAR') || t.startsWith('ENUM')) return 'text';
  return 'other';
}

/** PostgreSQL / Redshift type names (`format_type`, `information_schema`) → family. */
export function sqlFamily(type: string): TypeFamily {
  const t = type.toLowerCase().replace(/\(.*\)/, '').trim();
  if (t === 'boolean' || t === 'bool') return 'boolean';
  if (/^(smallint|integer|bigint|int|int2|int4|int8|serial|bigserial|smallserial)$/.test(t)) return 'integer';
  if (t === 'numeric' || t === 'decimal') return 'decimal';
  if (/^(real|double precision|float|float4|float8)$/.test(t)) return 'float';
  if (t === 'date') return 'date';
  if (t.startsWith('timestamp')) return 'timestamp';
  if (t.startsWith('time')) return 'time';
  if (t === 'uuid') return 'uuid';
  if (t === 'json' || t === 'jsonb' || t === 'super') return 'json';
  if (t === 'bytea' || t === 'varbyte' || t === 'binary varying') return 'binary';
  if (/^(text|character varying|varchar|character|char|bpchar|name|citext|nvarchar|nchar)$/.test(t)) return 'text';
  return 'other';
}
