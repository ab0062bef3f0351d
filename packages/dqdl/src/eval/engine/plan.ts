/**
 * The scan plan of a ruleset. Rules ask for values; equal requests share one slot. All
 * plain aggregates go into one aggregate pass over the dataset; grouped measures go into
 * one grouped pass per distinct set of grouping columns (each where clause a FILTER of
 * that one pass); statements that need other tables (CustomSql, reference datasets) are
 * queries of their own. Row-level flags may use per-row window values.
 *
 * (Merging the grouped passes into one GROUPING SETS scan was tried: on the 10M-row
 * benchmark it was about 8% slower than separate hash aggregations, and held every hash
 * table at once.)
 */
import { ident, idents } from '../sql/quote.js';

/** A requested value: read it from `Values` after execution. */
export interface Slot {
  readonly pass: string;
  readonly alias: string;
}

/** Per-group measures, for each where clause (deequ's frequency-based metrics). */
export type GroupMeasure =
  /** Groups seen exactly once. */
  | 'singletons'
  /** Distinct groups. */
  | 'groups'
  /** Rows with at least one non-NULL grouping column. */
  | 'rows'
  /** Σ c·ln c over the group counts c (for entropy). */
  | 'clnc';

interface GroupPass {
  readonly id: string;
  readonly columns: readonly string[];
  /** where clause SQL ('' for none) → count column. */
  readonly filters: Map<string, string>;
  /** measure key → alias. */
  readonly measures: Map<string, { alias: string; sql: string }>;
}

export interface PlanSummary {
  /** Values computed by the aggregate pass. */
  readonly aggregates: number;
  /** The column sets of the grouped passes, one pass each. */
  readonly groupings: readonly (readonly string[])[];
  /** Statements run on their own (CustomSql, reference datasets). */
  readonly queries: readonly string[];
  /** The statement that runs every pass. */
  readonly sql: string;
}

export interface PassSql {
  readonly id: string;
  /** `SELECT ... FROM "primary" ...`: one row. */
  readonly sql: string;
  /** alias → the expression alone, to isolate a failure. */
  readonly exprs: ReadonlyMap<string, string>;
  /** Builds the pass with only some of its expressions. */
  readonly only: (aliases: readonly string[]) => string;
}

/** What the plan held at one point: `rollback` forgets everything asked for after it. */
export interface Savepoint {
  readonly aggregates: number;
  readonly standalone: number;
  readonly windows: number;
  readonly groups: number;
  readonly groupSizes: ReadonlyMap<string, { readonly filters: number; readonly measures: number }>;
}

/** Removes the entries added after the first `size` (a Map keeps insertion order). */
function trim(map: Map<string, unknown>, size: number): void {
  for (const key of [...map.keys()].slice(size)) map.delete(key);
}

/** What rules ask a plan for. */
export interface PlanBuilder {
  /**
   * A value of the aggregate pass. `fallback`, when given, computes the same value without
   * ever raising, at a higher cost: it replaces `sql` only when the pass fails.
   */
  aggregate(sql: string, fallback?: string): Slot;
  grouped(columns: readonly string[], where: string | undefined, measure: GroupMeasure): Slot;
  query(sql: string): Slot;
  window(sql: string): string;
}

export class Plan implements PlanBuilder {
  /** A view of this plan that also records the slots handed out (one rule's). */
  tracked(slots: Slot[]): PlanBuilder {
    const keep = (s: Slot) => (slots.push(s), s);
    return {
      aggregate: (sql, fallback) => keep(this.aggregate(sql, fallback)),
      grouped: (columns, where, measure) => keep(this.grouped(columns, where, measure)),
      query: (sql) => keep(this.query(sql)),
      window: (sql) => this.window(sql),
    };
  }

  /** sql → its alias and its error-free fallback. */
  private readonly aggregates = new Map<string, { alias: string; fallback: string | undefined }>();
  private readonly groups = new Map<string, GroupPass>();
  private readonly standalone = new Map<string, string>();
  private readonly windowExprs = new Map<string, string>();

  /** The plan as it is now, to roll back to. */
  savepoint(): Savepoint {
    return {
      aggregates: this.aggregates.size,
      standalone: this.standalone.size,
      windows: this.windowExprs.size,
      groups: this.groups.size,
      groupSizes: new Map([...this.groups].map(([key, g]) => [key, { filters: g.filters.size, measures: g.measures.size }] as const)),
    };
  }

  /**
   * Forgets what was asked for since `to` (a rule that turned out to have a binding error:
   * nothing it asked for is scanned). Slots handed out since then must not be read.
   */
  rollback(to: Savepoint): void {
    trim(this.aggregates, to.aggregates);
    trim(this.standalone, to.standalone);
    trim(this.windowExprs, to.windows);
    trim(this.groups, to.groups);
    for (const [key, g] of this.groups) {
      const size = to.groupSizes.get(key)!;
      trim(g.filters, size.filters);
      trim(g.measures, size.measures);
    }
  }

  /** A value of the aggregate pass, e.g. `count("a")`; cast to DOUBLE. */
  aggregate(sql: string, fallback?: string): Slot {
    let entry = this.aggregates.get(sql);
    if (entry === undefined) {
      entry = { alias: `m${this.aggregates.size}`, fallback };
      this.aggregates.set(sql, entry);
    }
    return { pass: 'agg', alias: entry.alias };
  }

  /** A frequency measure over `columns` (existing names), rows filtered by `where`. */
  grouped(columns: readonly string[], where: string | undefined, measure: GroupMeasure): Slot {
    const key = JSON.stringify(columns.map((c) => c.toLowerCase()).sort());
    let pass = this.groups.get(key);
    if (pass === undefined) {
      pass = { id: `g${this.groups.size}`, columns, filters: new Map(), measures: new Map() };
      this.groups.set(key, pass);
    }
    const filter = where ?? '';
    let count = pass.filters.get(filter);
    if (count === undefined) {
      count = `c${pass.filters.size}`;
      pass.filters.set(filter, count);
    }
    const measureKey = `${measure}:${count}`;
    let m = pass.measures.get(measureKey);
    if (m === undefined) {
      m = { alias: `${pass.id}_${pass.measures.size}`, sql: measureSql(measure, count) };
      pass.measures.set(measureKey, m);
    }
    return { pass: pass.id, alias: m.alias };
  }

  /** A statement run on its own; its rows are read with `Values.rows`. */
  query(sql: string): Slot {
    let alias = this.standalone.get(sql);
    if (alias === undefined) {
      alias = `q${this.standalone.size}`;
      this.standalone.set(sql, alias);
    }
    return { pass: alias, alias };
  }

  /** A per-row window value for row-level flags, e.g. `count(*) OVER (PARTITION BY "a")`; returns its column. */
  window(sql: string): string {
    let alias = this.windowExprs.get(sql);
    if (alias === undefined) {
      alias = `__dq_w${this.windowExprs.size}`;
      this.windowExprs.set(sql, alias);
    }
    return alias;
  }

  /**
   * The single-row passes: the aggregate pass, then one per grouping. `safe` passes use
   * each aggregate's error-free fallback where it has one.
   */
  passes(safe = false): PassSql[] {
    const out: PassSql[] = [];
    const agg = new Map([...this.aggregates].map(([sql, { alias, fallback }]) => [alias, (safe ? fallback : undefined) ?? sql] as const));
    const aggSql = (aliases: readonly string[]) =>
      `SELECT ${aliases.map((a) => `CAST((${agg.get(a) ?? 'NULL'}) AS DOUBLE) AS ${ident(a)}`).join(', ')} FROM "primary"`;
    if (agg.size > 0) out.push({ id: 'agg', sql: aggSql([...agg.keys()]), exprs: agg, only: aggSql });
    for (const g of this.groups.values()) {
      const exprs = new Map([...g.measures.values()].map((m) => [m.alias, m.sql] as const));
      const only = (aliases: readonly string[]) => groupSql(g, aliases.map((a) => [a, exprs.get(a) ?? 'NULL'] as const));
      out.push({ id: g.id, sql: only([...exprs.keys()]), exprs, only });
    }
    return out;
  }

  /** Whether some aggregate has an error-free fallback (a safe pass differs from the fast one). */
  hasFallbacks(): boolean {
    return [...this.aggregates.values()].some((a) => a.fallback !== undefined);
  }

  /** Every single-row pass in one statement, one row out (`safe`: see `passes`). */
  combined(safe = false): string | undefined {
    const passes = this.passes(safe);
    if (passes.length === 0) return undefined;
    const ctes = passes.map((p) => `"__${p.id}" AS (${p.sql})`);
    return `WITH ${ctes.join(', ')} SELECT * FROM ${passes.map((p) => `"__${p.id}"`).join(', ')}`;
  }

  /** What the plan scans: for explanations and tests. */
  summary(): PlanSummary {
    return {
      aggregates: this.aggregates.size,
      groupings: [...this.groups.values()].map((g) => [...g.columns]),
      queries: [...this.standalone.keys()],
      sql: this.combined() ?? '',
    };
  }

  queries(): ReadonlyMap<string, string> {
    return new Map([...this.standalone].map(([sql, alias]) => [alias, sql] as const));
  }

  windows(): ReadonlyMap<string, string> {
    return new Map([...this.windowExprs].map(([sql, alias]) => [alias, sql] as const));
  }
}

/** A measure over the group counts `c`; `scope` (a condition) narrows the groups it reads. */
function measureSql(measure: GroupMeasure, c: string, scope = 'TRUE'): string {
  switch (measure) {
    case 'singletons':
      return `count(*) FILTER (WHERE ${scope} AND ${c} = 1)`;
    case 'groups':
      return `count(*) FILTER (WHERE ${scope} AND ${c} > 0)`;
    case 'rows':
      return `coalesce(sum(${c}) FILTER (WHERE ${scope}), 0)`;
    case 'clnc':
      // ln runs before the FILTER applies: a group with no rows in a where clause has c = 0,
      // and ln(0) raises, so it reads ln(1) (its term is 0 either way).
      return `sum(${c} * ln(greatest(${c}, 1))) FILTER (WHERE ${scope} AND ${c} > 0)`;
  }
}

function groupSql(g: GroupPass, measures: ReadonlyArray<readonly [string, string]>): string {
  const counts = [...g.filters].map(([where, c]) => (where === '' ? `count(*) AS ${c}` : `count(*) FILTER (WHERE (${where})) AS ${c}`));
  const anyNotNull = g.columns.map((c) => `${ident(c)} IS NOT NULL`).join(' OR ');
  const inner = `SELECT ${counts.join(', ')} FROM "primary" WHERE ${anyNotNull} GROUP BY ${idents(g.columns)}`;
  return `SELECT ${measures.map(([a, sql]) => `CAST((${sql}) AS DOUBLE) AS ${ident(a)}`).join(', ')} FROM (${inner})`;
}
