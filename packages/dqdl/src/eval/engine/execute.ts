/**
 * Runs a plan: every single-row pass in one statement (so DuckDB plans the scans
 * together), then the standalone queries. When the combined statement fails, it runs once
 * more with the error-free fallback of the aggregates that have one; when that fails too,
 * each pass runs alone, and in a pass that fails each value alone, so one bad expression
 * errors only the rules that asked for it. Running out of memory or spill space is not
 * retried in smaller parts: each pass runs alone once (one that fits gives its values), and
 * every value of a pass that runs out gets that error.
 */
import type { Plan, PassSql, Slot } from './plan.js';
import type { Row, Session } from './session.js';

export interface QueryRows {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

export interface Values {
  /** The value of a pass slot (NULL → null); errored slots give null too. */
  num(slot: Slot): number | null;
  /** Why a slot has no value, when its expression failed. */
  error(slot: Slot): string | undefined;
  /** The rows of a standalone query. */
  rows(slot: Slot): QueryRows | undefined;
}

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const n = Number(v);
  return Number.isNaN(n) ? null : n;
}

const firstLine = (err: unknown) => String((err as Error).message ?? err).split('\n')[0] ?? '';

export class ExecutionError extends Error {}

/**
 * A failure that running a statement's values one by one would only repeat: DuckDB out of
 * memory or out of spill space (each retry would fill the memory and the disk again).
 */
const exhausted = (error: unknown) => /Out of Memory Error/i.test(String((error as Error)?.message ?? error));

async function runPassAlone(session: Session, pass: PassSql, values: Map<string, number | null>, errors: Map<string, string>): Promise<void> {
  try {
    const [row] = await session.rows(pass.sql);
    for (const alias of pass.exprs.keys()) values.set(alias, toNumber(row?.[alias]));
    return;
  } catch (err) {
    if (exhausted(err)) {
      // Its values one by one would each run out again: they all get the error.
      for (const alias of pass.exprs.keys()) errors.set(alias, firstLine(err));
      return;
    }
  }
  for (const alias of pass.exprs.keys()) {
    try {
      const [row] = await session.rows(pass.only([alias]));
      values.set(alias, toNumber(row?.[alias]));
    } catch (err) {
      errors.set(alias, firstLine(err));
    }
  }
}

/** The statement's first row, or why it failed. */
async function firstRow(session: Session, sql: string): Promise<{ row: Row | undefined } | { error: unknown }> {
  try {
    const [row] = await session.rows(sql);
    return { row };
  } catch (error) {
    return { error };
  }
}

export async function execute(session: Session, plan: Plan): Promise<Values> {
  const values = new Map<string, number | null>();
  const errors = new Map<string, string>();
  const combined = plan.combined();
  if (combined !== undefined) {
    let passes = plan.passes();
    let outcome = await firstRow(session, combined);
    if ('error' in outcome && !exhausted(outcome.error) && plan.hasFallbacks()) {
      passes = plan.passes(true);
      outcome = await firstRow(session, plan.combined(true)!);
    }
    if ('row' in outcome) {
      const row = outcome.row;
      for (const p of passes) for (const alias of p.exprs.keys()) values.set(alias, toNumber(row?.[alias]));
    } else {
      for (const p of passes) await runPassAlone(session, p, values, errors);
    }
  }
  const results = new Map<string, QueryRows>();
  for (const [alias, sql] of plan.queries()) {
    try {
      const rows = await session.rows(sql);
      results.set(alias, { columns: rows[0] === undefined ? [] : Object.keys(rows[0]), rows });
    } catch (err) {
      errors.set(alias, firstLine(err));
    }
  }
  return {
    num: (slot) => values.get(slot.alias) ?? null,
    error: (slot) => errors.get(slot.alias),
    rows: (slot) => results.get(slot.alias),
  };
}
