import type { TypeFamily } from '../../domain/types.js';
import { PostgresCompiler } from '../postgres/postgres-compiler.js';
import { LOAD_ORDER_COLUMN } from '../../domain/staging-names.js';
import { standardLiteral } from '../sql.js';
import type { LoadPlan } from '../target.js';

const TYPES: Record<TypeFamily, string> = {
  boolean: 'BOOLEAN',
  integer: 'BIGINT',
  decimal: 'DECIMAL(38,10)',
  float: 'DOUBLE',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  time: 'TIME',
  uuid: 'UUID',
  json: 'JSON',
  binary: 'BLOB',
  text: 'VARCHAR',
  other: 'VARCHAR',
};

/**
 * DuckDB speaks PostgreSQL's dialect closely enough to reuse its compiler.
 * The differences: standard string literals, no advisory lock (the driver
 * runs one load at a time), and a load-order column the stager fills itself.
 */
export class DuckdbCompiler extends PostgresCompiler {
  override literal(value: string | number | null): string {
    return standardLiteral(value);
  }

  override typeName(family: TypeFamily): string {
    return TYPES[family];
  }

  protected override lockKey(_plan: LoadPlan): string | null {
    return null;
  }

  /** The driver already runs one load at a time per file. */
  protected override lockTable(_plan: LoadPlan): string[] {
    return [];
  }

  /** Filled by the stager from each reader's `WITH ORDINALITY` (a batch column may be called `rowid`). */
  protected override loadOrderColumn(): { readonly ddl: string | null; readonly expr: string } {
    return { ddl: `${this.ident(LOAD_ORDER_COLUMN)} BIGINT`, expr: this.ident(LOAD_ORDER_COLUMN) };
  }

  protected override nowUtc(): string {
    return `CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP)`;
  }
}
