import type { CompiledDirect, CompiledLoad, LoadPlan, Row, StageBatch, StageContext, Transaction, WarehouseTarget } from '../target/target.js';

/** How a load reached the table (in its log line). */
export type LoadPath = 'direct' | 'staged' | 'direct, then staged' | 'replayed';

/** Milliseconds per phase, and the path: the log line of each load (where the time goes). */
export interface LoadTrace {
  readonly phases: Record<string, number>;
  path: LoadPath;
}

export async function timed<T>(phases: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    phases[name] = (phases[name] ?? 0) + Math.round(performance.now() - t0);
  }
}

/** What both write paths work with. */
export interface Writer {
  readonly target: WarehouseTarget;
  readonly plan: LoadPlan;
  readonly batch: StageBatch;
  readonly ctx: StageContext;
  readonly phases: Record<string, number>;
}

/**
 * May this load try the direct path? Only on a live session (the ledger and
 * the table are probed inside the transaction), on a target whose stager can
 * copy into the table, and for a write that is a plain insert: an append or a
 * replace without keys; with keys, only when a unique key the warehouse
 * enforces lies within them (a duplicate in the batch then stops the copy).
 * Whether the table is empty is asked inside the transaction.
 */
export async function directEligible(target: WarehouseTarget, plan: LoadPlan): Promise<boolean> {
  const { adapter, driver } = target;
  if (!driver.interactive || !adapter.directLoads) return false;
  if (plan.keys.length === 0) return plan.mode === 'append' || plan.mode === 'replace';
  if (!adapter.enforcesUniqueKeys) return false;
  const unique = await target.introspector.uniqueKeys(plan.table);
  return unique.some((columns) => columns.length > 0 && columns.every((c) => plan.keys.includes(c)));
}

/**
 * The direct path: lock, probe, then COPY straight into the table and write
 * the ledger row with the counts the COPY reported. Returns `undefined` when
 * the probe finds the table holds rows a keyed load would have to merge with
 * (the caller goes on, in the same transaction, with the staged path), and
 * `replayed` when a concurrent load committed the key first.
 */
export async function writeDirect(tx: Transaction, direct: CompiledDirect, w: Writer): Promise<LoadPath | undefined> {
  const query = readsOf(tx);
  for (const sql of direct.begin) await tx.execute(sql, 'begin');
  const [probe] = await query(direct.probe);
  if (Number(probe?.committed ?? 0) > 0) return 'replayed';
  if (direct.requiresEmpty && Number(probe?.occupied ?? 0) > 0) return undefined;
  for (const sql of direct.clear) await tx.execute(sql, 'clear');
  const { rows } = await timed(w.phases, 'stage', () => w.target.stager.stage(tx, w.plan, w.batch, w.ctx, 'table'));
  if (rows === undefined) throw new Error(`the stager of ${w.target.name} did not report the rows it copied`);
  await runChecks(query, direct.checks, w.phases);
  await timed(w.phases, 'write', () => tx.execute(direct.ledger({ loaded: rows, deleted: Number(probe?.existing ?? 0) }), 'ledger'));
  return 'direct';
}

/** The staged path: guard, staging table, COPY, checks, then dedupe, ledger row and the write. */
export async function writeStaged(tx: Transaction, compiled: CompiledLoad, w: Writer): Promise<LoadPath> {
  for (const sql of compiled.begin) await tx.execute(sql, 'begin');
  await timed(w.phases, 'stage', () => w.target.stager.stage(tx, w.plan, w.batch, w.ctx, 'staging'));
  if (w.target.driver.interactive) await runChecks(readsOf(tx), compiled.checks, w.phases);
  else for (const check of compiled.checks) await tx.execute(check.guard, 'check');
  await timed(w.phases, 'write', async () => {
    for (const sql of compiled.finish) await tx.execute(sql, 'write');
  });
  return 'staged';
}

async function runChecks(query: (sql: string) => Promise<Row[]>, checks: CompiledLoad['checks'], phases: Record<string, number>): Promise<void> {
  await timed(phases, 'checks', async () => {
    for (const check of checks) {
      const [row] = await query(check.sql);
      if (row) throw check.problem(row);
    }
  });
}

function readsOf(tx: Transaction): (sql: string) => Promise<Row[]> {
  if (!tx.query) throw new Error('reads inside a transaction need an interactive driver');
  return tx.query.bind(tx);
}
