import { DescribeTableCommand, type ColumnMetadata, type DescribeTableResponse } from '@aws-sdk/client-redshift-data';
import { sqlFamily } from '../../domain/families.js';
import type { TableColumn, TableRef } from '../../domain/types.js';
import type { Introspector, Row } from '../target.js';
import type { SendClient } from './redshift-config.js';
import type { RedshiftCompiler } from './redshift-compiler.js';
import type { DataApiTarget } from './redshift-driver.js';
import { classifyRedshift } from './redshift-errors.js';

/** A Redshift type as DDL can spell it again, from its name, length, precision and scale. */
export function redshiftType(name: string, length?: number | null, precision?: number | null, scale?: number | null): string {
  const t = name.toLowerCase();
  if ((t === 'varchar' || t === 'character varying') && length) return `VARCHAR(${length})`;
  if ((t === 'bpchar' || t === 'character' || t === 'char') && length) return `CHAR(${length})`;
  if ((t === 'numeric' || t === 'decimal') && precision) return `NUMERIC(${precision},${scale ?? 0})`;
  return t.toUpperCase();
}

/** Columns through the Data API's DescribeTable (no SQL, no session). */
export class DataApiIntrospector implements Introspector {
  constructor(
    private readonly client: SendClient,
    private readonly target: DataApiTarget,
    private readonly defaultSchema: string,
  ) {}

  async describe(table: TableRef): Promise<readonly TableColumn[] | undefined> {
    const columns: ColumnMetadata[] = [];
    let token: string | undefined;
    do {
      let page: DescribeTableResponse;
      try {
        page = (await this.client.send(
          new DescribeTableCommand({ ...this.target, Schema: table.schema ?? this.defaultSchema, Table: table.name, ...(token ? { NextToken: token } : {}) }),
        )) as DescribeTableResponse;
      } catch (err) {
        throw classifyRedshift(err) ?? err;
      }
      columns.push(...(page.ColumnList ?? []));
      token = page.NextToken;
    } while (token);
    if (columns.length === 0) return undefined;
    return columns.map((c) => {
      const type = redshiftType(c.typeName ?? 'varchar', c.length, c.precision, c.scale);
      return { name: c.name ?? '', type, family: sqlFamily(type), nullable: c.nullable !== 0, hasDefault: !!c.columnDefault };
    });
  }

  /** Redshift does not enforce unique keys. */
  async uniqueKeys(): Promise<ReadonlyArray<readonly string[]>> {
    return [];
  }
}

/** Columns from `information_schema.columns`, over the wire protocol. */
export class WireIntrospector implements Introspector {
  constructor(
    private readonly query: (sql: string) => Promise<Row[]>,
    private readonly compiler: RedshiftCompiler,
    private readonly defaultSchema: string,
  ) {}

  async describe(table: TableRef): Promise<readonly TableColumn[] | undefined> {
    const rows = await this.query(this.compiler.describeTable(table, this.defaultSchema));
    if (rows.length === 0) return undefined;
    return rows.map((r) => {
      const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
      const type = redshiftType(String(r.data_type), num(r.character_maximum_length), num(r.numeric_precision), num(r.numeric_scale));
      return { name: String(r.column_name), type, family: sqlFamily(type), nullable: r.is_nullable === 'YES', hasDefault: r.column_default !== null && r.column_default !== undefined };
    });
  }

  /** Redshift does not enforce unique keys. */
  async uniqueKeys(): Promise<ReadonlyArray<readonly string[]>> {
    return [];
  }
}
