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
}
