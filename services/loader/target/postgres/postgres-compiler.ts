import { Problem } from '../../../kit/errors/problem.js';
import { LOAD_ORDER_COLUMN } from '../../domain/staging-names.js';
import type { TableRef, TypeFamily } from '../../domain/types.js';
import { keyHash64, LEDGER_COLUMNS, quoteIdent, quoteTable, standardLiteral } from '../sql.js';
import type { Check, CompiledDirect, CompiledLoad, LoadPlan, Row, SqlCompiler, StageColumn, TargetAdapter } from '../target.js';

const TYPES: Record<TypeFamily, string> = {
  boolean: 'boolean',
  integer: 'bigint',
  decimal: 'numeric',
  float: 'double precision',
  date: 'date',
  timestamp: 'timestamp',
  time: 'time',
  uuid: 'uuid',
  json: 'jsonb',
  binary: 'bytea',
  text: 'text',
  other: 'text',
};

/**
 * The load's SQL for PostgreSQL, and the base the DuckDB and Redshift
 * compilers override piece by piece. One load is:
 *
 *   lock the key → guard (empty when the ledger has the key) → [new columns]
 *   → staging table → COPY → dedupe → ledger row → write → drop temp tables
 *
 * Every write reads through the guard, so a key already in the ledger makes
 * the whole transaction a no-op even when it was submitted in one piece.
 */
export class PostgresCompiler implements SqlCompiler {
  constructor(protected readonly adapter: () => TargetAdapter) {}

  ident(name: string): string {
    return quoteIdent(name);
  }

  table(ref: TableRef): string {
    return quoteTable(ref);
  }

  literal(value: string | number | null): string {
    if (typeof value === 'string' && value.includes('\\')) return `E${standardLiteral(value.replaceAll('\\', '\\\\'))}`;
    return standardLiteral(value);
  }

  typeName(family: TypeFamily): string {
    return TYPES[family];
  }

  createLedger(ledger: TableRef): readonly string[] {
    const schema = ledger.schema ? [`CREATE SCHEMA IF NOT EXISTS ${this.ident(ledger.schema)}`] : [];
    return [
      ...schema,
      `CREATE TABLE IF NOT EXISTS ${this.table(ledger)} (` +
        `idempotency_key VARCHAR(255) NOT NULL PRIMARY KEY, fingerprint VARCHAR(64) NOT NULL, load_id VARCHAR(64) NOT NULL, ` +
        `target_table VARCHAR(300) NOT NULL, mode VARCHAR(16) NOT NULL, rows_loaded BIGINT NOT NULL, rows_inserted BIGINT NOT NULL, ` +
        `rows_updated BIGINT NOT NULL, rows_deleted BIGINT NOT NULL, bytes BIGINT NOT NULL, objects INTEGER NOT NULL, committed_at TIMESTAMP NOT NULL)`,
    ];
  }

  readLedger(ledger: TableRef, key: string): string {
    const cols = LEDGER_COLUMNS.map((c) => (c === 'committed_at' ? `CAST(committed_at AS VARCHAR(40)) AS committed_at` : c)).join(', ');
    return `SELECT ${cols} FROM ${this.table(ledger)} WHERE idempotency_key = ${this.literal(key)}`;
  }

  compileLoad(plan: LoadPlan): CompiledLoad {
    const lock = this.lockKey(plan);
    return {
      addColumns: plan.added.map((c) => `ALTER TABLE ${this.table(plan.table)} ADD COLUMN ${this.ident(c.name)} ${c.type}`),
      begin: [...(lock ? [lock] : []), this.createGuard(plan), this.createStage(plan)],
      finish: [
        ...(plan.keys.length > 0 ? [this.dedupe(plan)] : []),
        ...this.lockTable(plan),
        this.insertLedger(plan),
        ...this.write(plan),
        ...this.temps(plan).map((t) => `DROP TABLE ${this.ident(t)}`),
      ],
      checks: plan.keys.length > 0 ? [this.nullKeyCheck(plan, this.ident(plan.names.stage), plan.keys)] : [],
    };
  }

  compileDirect(plan: LoadPlan, nullableKeys: readonly string[]): CompiledDirect {
    const lock = this.lockKey(plan);
    const table = this.table(plan.table);
    const replace = plan.mode === 'replace';
    const requiresEmpty = plan.keys.length > 0 && !replace;
    // An append without keys needs no table lock: it reads nothing of the table.
    const lockTable = requiresEmpty || replace ? this.lockTable(plan) : [];
    const probe = [
      `(SELECT COUNT(*) FROM ${this.table(plan.ledger)} WHERE idempotency_key = ${this.literal(plan.ledgerRow.key)}) AS committed`,
      ...(requiresEmpty ? [`(SELECT COUNT(*) FROM (SELECT 1 AS one FROM ${table} LIMIT 1) AS o) AS occupied`] : []),
      ...(replace ? [`(SELECT COUNT(*) FROM ${table}) AS existing`] : []),
    ];
    return {
      begin: [...(lock ? [lock] : []), ...lockTable],
      requiresEmpty,
      probe: `SELECT ${probe.join(', ')}`,
      clear: replace ? [`DELETE FROM ${table}`] : [],
      checks: nullableKeys.length > 0 ? [this.nullKeyCheck(plan, table, nullableKeys)] : [],
      ledger: (counts) =>
        `INSERT INTO ${this.table(plan.ledger)} (${LEDGER_COLUMNS.join(', ')}) ` +
        `SELECT ${this.ledgerValues(plan, { loaded: String(counts.loaded), inserted: String(counts.loaded), updated: '0', deleted: String(counts.deleted) }).join(', ')}`,
    };
  }

  /** Serialises loads of one key; the guard then sees any earlier commit. */
  protected lockKey(plan: LoadPlan): string | null {
    return `SELECT pg_advisory_xact_lock(${keyHash64(plan.ledgerRow.key)})`;
  }

  /**
   * Loads into one table run their counts and writes one at a time (readers
   * are not blocked): two concurrent merges of overlapping keys would
   * otherwise both insert a new key and one would fail on the primary key.
   */
  protected lockTable(plan: LoadPlan): string[] {
    return [`LOCK TABLE ${this.table(plan.table)} IN SHARE ROW EXCLUSIVE MODE`];
  }

  protected createGuard(plan: LoadPlan): string {
    return (
      `CREATE TEMP TABLE ${this.ident(plan.names.guard)} AS SELECT 1 AS go FROM ` +
      `(SELECT COUNT(*) AS n FROM ${this.table(plan.ledger)} WHERE idempotency_key = ${this.literal(plan.ledgerRow.key)}) AS l WHERE l.n = 0`
    );
  }

  protected createStage(plan: LoadPlan): string {
    const order = this.loadOrderColumn();
    const cols = plan.columns.map((c) => `${this.ident(c.name)} ${c.type}`);
    return `CREATE TEMP TABLE ${this.ident(plan.names.stage)} (${[...cols, ...(order?.ddl ? [order.ddl] : [])].join(', ')})`;
  }

  /** A column (or pseudo-column) that numbers staged rows in load order; null when the target has none. */
  protected loadOrderColumn(): { readonly ddl: string | null; readonly expr: string } | null {
    return { ddl: `${this.ident(LOAD_ORDER_COLUMN)} BIGSERIAL`, expr: this.ident(LOAD_ORDER_COLUMN) };
  }

  /**
   * Last row per key: by the ordering column (NULLs lose), then by load order
   * (or, without one, by the rest of the row). `DISTINCT ON` keeps the first
   * row of each key in that order; a sorted input (the usual export) sorts in
   * one pass.
   */
  protected dedupe(plan: LoadPlan): string {
    const keys = plan.keys.map((k) => this.ident(k));
    return (
      `CREATE TEMP TABLE ${this.ident(plan.names.dedup)} AS SELECT DISTINCT ON (${keys.join(', ')}) ${plan.columns.map((c) => `s.${this.ident(c.name)}`).join(', ')} ` +
      `FROM ${this.ident(plan.names.stage)} AS s CROSS JOIN ${this.ident(plan.names.guard)} AS g ORDER BY ${[...keys.map((k) => `s.${k}`), ...this.winnerOrder(plan, 's.')].join(', ')}`
    );
  }

  /** The order in which the winning row of a key comes first. */
  protected winnerOrder(plan: LoadPlan, prefix: string): string[] {
    const order: string[] = [];
    if (plan.orderBy) order.push(`${prefix}${this.ident(plan.orderBy)} DESC NULLS LAST`);
    const loadOrder = this.adapter().preservesLoadOrder ? this.loadOrderColumn() : null;
    if (loadOrder) order.push(`${prefix}${loadOrder.expr} DESC`);
    else order.push(...plan.columns.filter((c) => c.name !== plan.orderBy && !plan.keys.includes(c.name)).map((c) => `${prefix}${this.ident(c.name)} DESC NULLS LAST`));
    return order;
  }

  /**
   * The ledger row, with counts the SQL computes before the write: loaded
   * (staged), written (after dedupe) and matched (keys already in the table),
   * each counted once. Inserted only when the guard lets the load through.
   */
  protected insertLedger(plan: LoadPlan): string {
    const target = this.table(plan.table);
    const source = this.ident(this.source(plan));
    const counts = [
      `(SELECT COUNT(*) AS n FROM ${this.ident(plan.names.stage)}) AS staged`,
      ...(plan.keys.length > 0 ? [`(SELECT COUNT(*) AS n FROM ${source}) AS written`] : []),
      ...(plan.mode === 'merge' ? [`(SELECT COUNT(*) AS n FROM ${source} AS s WHERE EXISTS (SELECT 1 FROM ${target} AS t WHERE ${this.keyMatch(plan, 't', 's')})) AS matched`] : []),
      ...(plan.mode === 'replace' ? [`(SELECT COUNT(*) AS n FROM ${target}) AS replaced`] : []),
    ];
    const written = plan.keys.length > 0 ? 'written.n' : 'staged.n';
    const [inserted, updated, deleted] =
      plan.mode === 'merge' ? [`${written} - matched.n`, 'matched.n', '0'] : plan.mode === 'replace' ? [written, '0', 'replaced.n'] : [written, '0', '0'];
    return (
      `INSERT INTO ${this.table(plan.ledger)} (${LEDGER_COLUMNS.join(', ')}) SELECT ${this.ledgerValues(plan, { loaded: 'staged.n', inserted, updated, deleted }).join(', ')} ` +
      `FROM ${this.ident(plan.names.guard)} AS g CROSS JOIN ${counts.join(' CROSS JOIN ')}`
    );
  }

  /** A ledger row's values, in `LEDGER_COLUMNS` order; the counts are SQL expressions. */
  protected ledgerValues(plan: LoadPlan, counts: { readonly loaded: string; readonly inserted: string; readonly updated: string; readonly deleted: string }): string[] {
    const e = plan.ledgerRow;
    return [
      this.literal(e.key),
      this.literal(e.fingerprint),
      this.literal(e.loadId),
      this.literal(e.table),
      this.literal(e.mode),
      counts.loaded,
      counts.inserted,
      counts.updated,
      counts.deleted,
      String(e.bytes),
      String(e.objects),
      this.nowUtc(),
    ];
  }

  protected nowUtc(): string {
    return `(now() AT TIME ZONE 'UTC')`;
  }

  protected write(plan: LoadPlan): string[] {
    const target = this.table(plan.table);
    const cols = this.columnList(plan.columns);
    const source = this.ident(this.source(plan));
    const guarded = plan.keys.length > 0 ? '' : ` CROSS JOIN ${this.ident(plan.names.guard)}`;
    const insert = `INSERT INTO ${target} (${cols}) SELECT ${plan.columns.map((c) => `s.${this.ident(c.name)}`).join(', ')} FROM ${source} AS s${guarded}`;
    if (plan.mode === 'append') return [insert];
    if (plan.mode === 'replace') return [`DELETE FROM ${target} WHERE EXISTS (SELECT 1 FROM ${this.ident(plan.names.guard)})`, insert];
    const others = plan.columns.filter((c) => !plan.keys.includes(c.name));
    if (this.adapter().supportsMerge && others.length > 0) return [this.merge(plan, others)];
    return [`DELETE FROM ${target} USING ${source} WHERE ${this.keyMatch(plan, target, source)}`, insert];
  }

  protected merge(plan: LoadPlan, others: readonly StageColumn[]): string {
    const cols = plan.columns.map((c) => this.ident(c.name));
    return (
      `MERGE INTO ${this.table(plan.table)} AS t USING ${this.ident(this.source(plan))} AS s ON ${this.keyMatch(plan, 't', 's')} ` +
      `WHEN MATCHED THEN UPDATE SET ${others.map((c) => `${this.ident(c.name)} = s.${this.ident(c.name)}`).join(', ')} ` +
      `WHEN NOT MATCHED THEN INSERT (${cols.join(', ')}) VALUES (${cols.map((c) => `s.${c}`).join(', ')})`
    );
  }

  /** Rows of `from` (the staging table, or a table that held none before the load) with a NULL in one of `keys`. */
  protected nullKeyCheck(plan: LoadPlan, from: string, keys: readonly string[]): Check {
    const anyNull = keys.map((k) => `${this.ident(k)} IS NULL`).join(' OR ');
    return {
      sql: `SELECT COUNT(*) AS n FROM ${from} WHERE ${anyNull} HAVING COUNT(*) > 0`,
      guard: `DELETE FROM ${this.ident(plan.names.guard)} WHERE EXISTS (SELECT 1 FROM ${from} WHERE ${anyNull})`,
      problem: (row: Row | undefined) => {
        const rows = row ? `${Number(row.n)} row(s)` : 'rows';
        return new Problem('DataError', {
          detail: `${rows} of the batch have a NULL key (${plan.keys.join(', ')}); a key must not be NULL; nothing was loaded`,
          errors: keys.map((k) => ({ path: `/keys/${plan.keys.indexOf(k)}`, message: `${k} is a key: ${rows} have a NULL key` })),
        });
      },
    };
  }

  protected source(plan: LoadPlan): string {
    return plan.keys.length > 0 ? plan.names.dedup : plan.names.stage;
  }

  protected temps(plan: LoadPlan): string[] {
    return plan.keys.length > 0 ? [plan.names.dedup, plan.names.stage, plan.names.guard] : [plan.names.stage, plan.names.guard];
  }

  protected keyMatch(plan: LoadPlan, left: string, right: string): string {
    return plan.keys.map((k) => `${left}.${this.ident(k)} = ${right}.${this.ident(k)}`).join(' AND ');
  }

  protected columnList(columns: readonly StageColumn[]): string {
    return columns.map((c) => this.ident(c.name)).join(', ');
  }
}
