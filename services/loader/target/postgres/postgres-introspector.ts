import { sqlFamily } from '../../domain/families.js';
import type { TableColumn, TableRef } from '../../domain/types.js';
import { standardLiteral } from '../sql.js';
import type { Introspector, Row } from '../target.js';

/** Columns from the catalogue, with `format_type` spellings (`numeric(12,2)`) the staging DDL reuses. */
export class PostgresIntrospector implements Introspector {
  constructor(
    private readonly query: (sql: string) => Promise<Row[]>,
    private readonly defaultSchema: string,
  ) {}

  async describe(table: TableRef): Promise<readonly TableColumn[] | undefined> {
    const rows = await this.query(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable, ` +
        `(a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS has_default ` +
        `FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid ` +
        `JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ` +
        `WHERE n.nspname = ${standardLiteral(table.schema ?? this.defaultSchema)} AND c.relname = ${standardLiteral(table.name)} ` +
        `AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    );
    if (rows.length === 0) return undefined;
    return rows.map((r) => {
      const type = String(r.type);
      return { name: String(r.name), type, family: sqlFamily(type), nullable: r.nullable === true, hasDefault: r.has_default === true };
    });
  }

  /** Unique indexes (primary keys and unique constraints have one) that are immediate, on plain columns, without a predicate. */
  async uniqueKeys(table: TableRef): Promise<ReadonlyArray<readonly string[]>> {
    const rows = await this.query(
      `SELECT i.indexrelid AS id, i.indisprimary AS is_primary, array_agg(CAST(a.attname AS text) ORDER BY k.ord) AS columns ` +
        `FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid ` +
        `JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ` +
        `CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ` +
        `JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum ` +
        `WHERE n.nspname = ${standardLiteral(table.schema ?? this.defaultSchema)} AND c.relname = ${standardLiteral(table.name)} ` +
        `AND k.ord <= i.indnkeyatts AND i.indisunique AND i.indimmediate AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL ` +
        `GROUP BY i.indexrelid, i.indisprimary ORDER BY i.indisprimary DESC, i.indexrelid`,
    );
    return rows.map((r) => (r.columns as unknown[]).map(String));
  }
}
