import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { Problem, internalProblem, type FieldError } from '../../kit/errors/problem.js';
import { requireSupportedCsv } from './csv-options.js';
import { checkKeyColumns, detectDrift, schemaMismatch } from './drift.js';
import { formatTableRef, requireIdentifiers } from './identifiers.js';
import { requireColumnRoom } from './limits.js';
import { requireUnreserved } from './staging-names.js';
import type { LoadInput, LoadResult, TableRef } from './types.js';
import { inspectBatch } from '../source/inspect-batch.js';
import type { ObjectSource } from '../objects/object-source.js';
import type { ParquetTools } from '../source/parquet.js';
import type { CompiledDirect, LoadPlan, StageColumn, WarehouseTarget } from '../target/target.js';
import type { LoadHooks } from './hooks.js';
import { ensureLedger, readLedger, type LedgerRecord } from './ledger.js';
import { directEligible, timed, writeDirect, writeStaged, type LoadPath, type LoadTrace, type Writer } from './write-paths.js';

export interface RunContext {
  readonly objects: ObjectSource;
  readonly parquet: ParquetTools;
  readonly tempDir: string;
  readonly hooks: LoadHooks;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/**
 * One load, the same on every target:
 *
 * 1. the ledger: a key already committed returns its first result, untouched;
 * 2. the table's columns, and the batch's (read from S3), compared: drift
 *    fails here, before anything is written;
 * 3. one transaction, on one of two paths:
 *    - direct, when the write is a plain insert (an append or replace without
 *      keys; with keys, an empty or replaced table whose unique key rejects a
 *      duplicate): COPY straight into the table, then the ledger row. A
 *      duplicate or NULL key rolls it back, and the load goes staged;
 *    - staged: guard on the ledger, staging table, COPY, dedupe, the ledger
 *      row, the write (append / merge / replace);
 * 4. the result, read back from the ledger.
 *
 * Any failure is a protocol problem; unknown errors are logged and become a
 * bare `500 Internal`.
 */
export async function runLoad(target: WarehouseTarget, input: LoadInput, ctx: RunContext): Promise<LoadResult> {
  const started = performance.now();
  const trace: LoadTrace = { phases: {}, path: 'replayed' };
  try {
    const result = await load(target, input, ctx, started, trace);
    ctx.log.info(
      {
        target: target.name,
        table: result.table,
        mode: result.mode,
        replayed: result.replayed,
        path: trace.path,
        rows_loaded: result.rows_loaded,
        bytes: result.bytes,
        duration_ms: result.duration_ms,
        phases_ms: trace.phases,
      },
      'load committed',
    );
    return result;
  } catch (err) {
    throw toProblem(err, target, ctx.log);
  }
}

async function load(target: WarehouseTarget, input: LoadInput, ctx: RunContext, started: number, trace: LoadTrace): Promise<LoadResult> {
  const { phases } = trace;
  const table: TableRef = { schema: input.table.schema ?? target.defaultSchema, name: input.table.name };
  const tableName = formatTableRef(table);
  const prior = await timed(phases, 'ledger', async () => {
    await ensureLedger(target);
    return readLedger(target, input.key);
  });
  if (prior) return result(prior, input, true, started);

  if (input.format === 'csv') requireSupportedCsv(input.options.csv, target.adapter.oneByteCsvDelimiter);
  const maxLength = target.adapter.maxIdentifierLength;
  requireIdentifiers([table.schema ?? '', table.name, ...input.keys, ...(input.order_by ? [input.order_by] : [])], '/names', maxLength);
  const columns = await timed(phases, 'introspect', () => target.introspector.describe(table));
  if (!columns) throw new Problem('TableNotFound', { detail: `table ${tableName} does not exist in warehouse ${target.name}`, errors: [{ path: '/table', message: 'does not exist' }] });
  ctx.signal.throwIfAborted();

  const batch = await timed(phases, 'inspect', () => inspectBatch(ctx.objects, ctx.parquet, input, ctx.signal));
  requireIdentifiers(batch.schema.columns.map((c) => c.name), '/columns', maxLength);
  requireUnreserved(batch.schema.columns.map((c) => c.name));
  const keyErrors: FieldError[] = checkKeyColumns(batch.schema, columns, input.keys, input.order_by);
  const drift = detectDrift(columns, batch.schema, input.options.allow_new_columns);
  if (keyErrors.length + drift.errors.length > 0) throw schemaMismatch(tableName, [...keyErrors, ...drift.errors]);
  requireColumnRoom(drift.added.length, columns.length, target.adapter.maxColumns, tableName);

  const loadId = randomBytes(8).toString('hex');
  const byName = new Map(columns.map((c) => [c.name, c]));
  const stageColumns: StageColumn[] = batch.schema.columns.map((c) => ({ name: c.name, type: byName.get(c.name)?.type ?? target.compiler.typeName(c.preferred) }));
  const plan: LoadPlan = {
    table,
    ledger: target.ledger,
    names: { stage: `dw_stage_${loadId}`, dedup: `dw_dedup_${loadId}`, guard: `dw_guard_${loadId}` },
    columns: stageColumns,
    added: drift.added.map((c) => ({ name: c.name, type: target.compiler.typeName(c.preferred) })),
    mode: input.mode,
    keys: input.keys,
    orderBy: input.order_by,
    ledgerRow: { key: input.key, fingerprint: input.fingerprint, loadId, table: tableName, mode: input.mode, bytes: batch.bytes, objects: batch.objects.length },
  };
  const compiled = target.compiler.compileLoad(plan);
  const { adapter, driver } = target;
  if (!adapter.transactionalDdl) for (const sql of compiled.addColumns) await driver.run(sql);
  const writer: Writer = { target, plan, batch: { objects: batch.objects, format: input.format, options: input.options }, ctx, phases };
  const direct = (await timed(phases, 'introspect', () => directEligible(target, plan)))
    ? target.compiler.compileDirect(plan, plan.keys.filter((k) => byName.get(k)?.nullable !== false))
    : undefined;

  const attempt = async (route: CompiledDirect | undefined): Promise<LoadPath> => {
    const t0 = performance.now();
    let beforeCommit = 0;
    const path = await driver.transaction(
      async (tx): Promise<LoadPath> => {
        if (adapter.transactionalDdl) for (const sql of compiled.addColumns) await tx.execute(sql, 'alter');
        // The direct path declines (undefined) when the table holds rows a keyed load must merge with.
        const viaDirect = route ? await writeDirect(tx, route, writer) : undefined;
        const taken = viaDirect ?? (await writeStaged(tx, compiled, writer));
        await ctx.hooks.checkpoint?.('merged', { key: input.key, target: target.name });
        ctx.signal.throwIfAborted();
        beforeCommit = performance.now();
        return taken;
      },
      { token: loadId, signal: ctx.signal },
    );
    // Interactive drivers: the COMMIT itself; the Data API: the whole batch.
    phases.commit = Math.round(performance.now() - (beforeCommit || t0));
    return path;
  };
  try {
    trace.path = await attempt(direct);
  } catch (err) {
    // A duplicate (or NULL) key stopped the direct copy and rolled it back: the staged path dedupes, or names the rows.
    if (!direct || plan.keys.length === 0 || !target.errors.isIntegrityViolation(err)) throw err;
    ctx.log.info({ target: target.name, table: tableName, key: input.key }, 'the batch has a duplicate or NULL key: loading it through a staging table');
    phases.direct_attempt = phases.stage ?? 0;
    delete phases.stage;
    await attempt(undefined);
    trace.path = 'direct, then staged';
  }
  await ctx.hooks.checkpoint?.('committed', { key: input.key, target: target.name });

  const committed = await readLedger(target, input.key);
  if (!committed) {
    // Sent in one piece, a failed check empties the guard: the transaction commits having written nothing.
    const [failed] = compiled.checks;
    if (!driver.interactive && failed) throw failed.problem(undefined);
    throw new Error(`the ledger of ${target.name} has no row for the load just committed`);
  }
  return result(committed, input, committed.loadId !== loadId, started);
}

function result(record: LedgerRecord, input: LoadInput, replayed: boolean, started: number): LoadResult {
  if (record.fingerprint !== input.fingerprint) {
    throw new Problem('Idempotency.Conflict', {
      detail: `the ledger already holds key ${JSON.stringify(input.key)} for a different load (${record.mode} into ${record.table})`,
    });
  }
  return {
    rows_loaded: record.rows_loaded,
    rows_inserted: record.rows_inserted,
    rows_updated: record.rows_updated,
    rows_deleted: record.rows_deleted,
    bytes: record.bytes,
    objects: record.objects,
    duration_ms: Math.round(performance.now() - started),
    table: record.table,
    mode: record.mode,
    replayed,
    committed_at: record.committed_at,
  };
}

function toProblem(err: unknown, target: WarehouseTarget, log: Logger): Problem {
  if (err instanceof Problem) return err;
  const name = (err as { name?: string } | null)?.name;
  if (name === 'AbortError') return new Problem('Job.Interrupted', { detail: 'the load was aborted before it committed; retry with the same key', cause: err });
  const problem = target.errors.classify(err);
  if (problem) {
    log.warn({ target: target.name, code: problem.code, detail: problem.detail }, 'load failed');
    return problem;
  }
  log.error({ err, target: target.name }, 'load failed with an unexpected error');
  return internalProblem();
}
