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
  /** Primary key and unique constraints (DuckDB checks them as rows are inserted). */
  async uniqueKeys(table: TableRef): Promise<ReadonlyArray<readonly string[]>> {
    const rows = await this.query(
      `SELECT constraint_index AS id, unnest(constraint_column_names) AS name FROM duckdb_constraints() ` +
        `WHERE database_name <> 'temp' AND schema_name = ${standardLiteral(table.schema ?? this.defaultSchema)} ` +
        `AND table_name = ${standardLiteral(table.name)} AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') ` +
        `ORDER BY constraint_type = 'PRIMARY KEY' DESC, constraint_index`,
    );
    const keys = new Map<string, string[]>();
    for (const r of rows) {
      const id = String(r.id);
      keys.set(id, [...(keys.get(id) ?? []), String(r.name)]);
    }
    return [...keys.values()];
  }
}
