import { duckdbFamily } from '../../domain/families.js';
import type { TableColumn, TableRef } from '../../domain/types.js';
import { standardLiteral } from '../sql.js';
import type { Introspector, Row } from '../target.js';

/** Columns from `duckdb_columns()`, leaving out temporary tables. */
export class DuckdbIntrospector implements Introspector {
  constructor(
    private readonly query: (sql: string) => Promise<Row[]>,
    private readonly defaultSchema: string,
  ) {}

  async describe(table: TableRef): Promise<readonly TableColumn[] | undefined> {
    const rows = await this.query(
      `SELECT column_name, data_type, is_nullable, column_default FROM duckdb_columns() ` +
        `WHERE database_name <> 'temp' AND schema_name = ${standardLiteral(table.schema ?? this.defaultSchema)} ` +
        `AND table_name = ${standardLiteral(table.name)} AND NOT internal ORDER BY column_index`,
    );
    if (rows.length === 0) return undefined;
    return rows.map((r) => {
      const type = String(r.data_type);
      return { name: String(r.column_name), type, family: duckdbFamily(type), nullable: r.is_nullable === true, hasDefault: r.column_default !== null && r.column_default !== undefined };
    });
  }
}
