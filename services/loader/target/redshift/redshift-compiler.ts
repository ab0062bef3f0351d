import { ROW_NUMBER_COLUMN } from '../../domain/staging-names.js';
import type { TableRef, TypeFamily } from '../../domain/types.js';
import { PostgresCompiler } from '../postgres/postgres-compiler.js';
import { standardLiteral } from '../sql.js';
import type { LoadPlan } from '../target.js';

const TYPES: Record<TypeFamily, string> = {
  boolean: 'BOOLEAN',
  integer: 'BIGINT',
  decimal: 'DECIMAL(38,10)',
  float: 'DOUBLE PRECISION',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  time: 'TIME',
  uuid: 'VARCHAR(36)',
  json: 'SUPER',
  binary: 'VARBYTE',
  text: 'VARCHAR(65535)',
  other: 'VARCHAR(65535)',
};

/**
 * Redshift reuses the PostgreSQL compiler. Its own parts: backslashes are
 * escapes in its string literals, `LOCK` on the ledger instead of advisory
 * locks (which it lacks; it does not enforce primary keys either), no load
 * order column, `GETDATE()`, and the types it has.
 */
export class RedshiftCompiler extends PostgresCompiler {
  override literal(value: string | number | null): string {
    return typeof value === 'string' ? standardLiteral(value.replaceAll('\\', '\\\\')) : standardLiteral(value);
  }

  override typeName(family: TypeFamily): string {
    return TYPES[family];
  }

  /** Columns as `information_schema` has them (the wire-protocol introspector). */
  describeTable(table: TableRef, defaultSchema: string): string {
    return (
      `SELECT column_name, data_type, character_maximum_length, numeric_precision, numeric_scale, is_nullable, column_default ` +
      `FROM information_schema.columns WHERE table_schema = ${this.literal(table.schema ?? defaultSchema)} ` +
      `AND table_name = ${this.literal(table.name)} ORDER BY ordinal_position`
    );
  }

  /** COPY errors of one statement (Data API: its query id) or of the batch's files since the load began. */
  loadErrors(view: 'sys' | 'stl', filter: { readonly queryId?: number; readonly files?: readonly string[]; readonly since?: string }): string {
    const where: string[] = [];
    const [query, file, line, column, code, message, time] =
      view === 'sys'
        ? ['query_id', 'file_name', 'line_number', 'column_name', 'error_code', 'error_message', 'start_time']
        : ['query', 'filename', 'line_number', 'colname', 'err_code', 'err_reason', 'starttime'];
    if (filter.queryId !== undefined) where.push(`${query} = ${Math.trunc(filter.queryId)}`);
    if (filter.files && filter.files.length > 0) where.push(`TRIM(${file}) IN (${filter.files.map((f) => this.literal(f)).join(', ')})`);
    if (filter.since) where.push(`${time} >= ${this.literal(filter.since)}`);
    return (
      `SELECT TRIM(${file}) AS file_name, ${line} AS line_number, TRIM(${column}) AS column_name, ${code} AS error_code, TRIM(${message}) AS error_message ` +
      `FROM ${view === 'sys' ? 'sys_load_error_detail' : 'stl_load_errors'} WHERE ${where.join(' AND ') || 'FALSE'} ORDER BY ${time} DESC, ${line} LIMIT 20`
    );
  }

  /** Redshift has no `DISTINCT ON`: the first row of each key by `ROW_NUMBER()`. */
  protected override dedupe(plan: LoadPlan): string {
    const cols = plan.columns.map((c) => this.ident(c.name)).join(', ');
    const partition = plan.keys.map((k) => this.ident(k)).join(', ');
    const rn = this.ident(ROW_NUMBER_COLUMN);
    return (
      `CREATE TEMP TABLE ${this.ident(plan.names.dedup)} AS SELECT ${plan.columns.map((c) => `s.${this.ident(c.name)}`).join(', ')} FROM ` +
      `(SELECT ${cols}, ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY ${this.winnerOrder(plan, '').join(', ')}) AS ${rn} FROM ${this.ident(plan.names.stage)}) AS s ` +
      `CROSS JOIN ${this.ident(plan.names.guard)} AS g WHERE s.${rn} = 1`
    );
  }

  protected override lockKey(plan: LoadPlan): string | null {
    return `LOCK ${this.table(plan.ledger)}`;
  }

  /**
   * No table lock: Redshift's LOCK would block readers too. Its serializable
   * isolation fails one of two conflicting loads with error 1023 instead
   * (`Warehouse.SerializationConflict`, retryable).
   */
  protected override lockTable(_plan: LoadPlan): string[] {
    return [];
  }

  protected override loadOrderColumn(): null {
    return null;
  }

  protected override nowUtc(): string {
    return 'GETDATE()';
  }
}
