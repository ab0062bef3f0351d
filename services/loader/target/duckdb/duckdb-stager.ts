import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Problem } from '../../../kit/errors/problem.js';
import { compressionOf } from '../../domain/batch.js';
import { lateJsonKeys } from '../../domain/drift.js';
import { LOAD_ORDER_COLUMN } from '../../domain/staging-names.js';
import type { BatchObject } from '../../domain/types.js';
import { standardLiteral } from '../sql.js';
import type { LoadPlan, StageBatch, StageContext, StageInto, StageOutcome, Stager } from '../target.js';
import type { DuckdbCompiler } from './duckdb-compiler.js';
import type { DuckdbTransaction } from './duckdb-driver.js';
import { classifyDuckdb } from './duckdb-errors.js';

/**
 * DuckDB reads local files: each object is streamed to a temporary file, then
 * read with `read_csv` / `read_json` / `read_parquet` (typed with the staging
 * table's types, so a bad value is reported with its line) into the staging
 * table, and the file is deleted.
 */
export class DuckdbStager implements Stager<DuckdbTransaction> {
  constructor(private readonly compiler: DuckdbCompiler) {}

  async stage(tx: DuckdbTransaction, plan: LoadPlan, batch: StageBatch, ctx: StageContext, into: StageInto): Promise<StageOutcome> {
    const dest = into === 'staging' ? this.compiler.ident(plan.names.stage) : this.compiler.table(plan.table);
    let rows = 0;
    const cols = plan.columns.map((c) => this.compiler.ident(c.name)).join(', ');
    for (const [index, object] of batch.objects.entries()) {
      ctx.signal.throwIfAborted();
      const gzip = compressionOf(object.key, batch.options.compression) === 'gzip';
      const file = join(ctx.tempDir, `stage-${randomBytes(6).toString('hex')}.${batch.format}${gzip ? '.gz' : ''}`);
      try {
        await ctx.objects.download(object, file, ctx.signal);
        if (batch.format === 'jsonl') await this.refuseLateKeys(tx, file, plan, gzip);
        const reader = this.reader(file, plan, batch, gzip);
        rows += await tx.changed(
          into === 'staging' ? await this.numbered(tx, dest, cols, reader, rows) : `INSERT INTO ${dest} (${cols}) SELECT ${cols} FROM ${reader}`,
        );
      } catch (err) {
        throw located(err, index, object);
      } finally {
        await rm(file, { force: true });
      }
      if (index === 0) await ctx.hooks.checkpoint?.('copying', { key: plan.ledgerRow.key, target: plan.table.name });
    }
    return { rows };
  }

  /**
   * Into the staging table, each row gets its place in the load (a key's tie goes to the
   * row loaded last): the reader's `WITH ORDINALITY`, after the rows already staged. Its
   * columns are all named (as they are, then the reserved load-order name), so a batch
   * column called `ordinality` or `rowid` is just data.
   */
  private async numbered(tx: DuckdbTransaction, dest: string, cols: string, reader: string, before: number): Promise<string> {
    const names = (await tx.query(`DESCRIBE SELECT * FROM ${reader}`)).map((r) => this.compiler.ident(String(r.column_name)));
    const seq = this.compiler.ident(LOAD_ORDER_COLUMN);
    return `INSERT INTO ${dest} (${cols}, ${seq}) SELECT ${cols}, ${seq} + ${before} FROM ${reader} WITH ORDINALITY AS r(${[...names, seq].join(', ')})`;
  }

  /** `read_json` with `columns` skips other keys: any key past the sample is refused instead. */
  private async refuseLateKeys(tx: DuckdbTransaction, file: string, plan: LoadPlan, gzip: boolean): Promise<void> {
    const known = plan.columns.map((c) => standardLiteral(c.name)).join(', ');
    const late = await tx.query(
      `SELECT DISTINCT k AS key FROM (SELECT unnest(json_keys(json)) AS k FROM read_json_objects(${standardLiteral(file)}, format = 'newline_delimited', ` +
        `compression = ${standardLiteral(gzip ? 'gzip' : 'uncompressed')}) WHERE json_type(json) = 'OBJECT') AS keys WHERE k NOT IN (${known}) ORDER BY k LIMIT 20`,
    );
    if (late.length > 0) throw lateJsonKeys(late.map((r) => String(r.key)));
  }

  private reader(file: string, plan: LoadPlan, batch: StageBatch, gzip: boolean): string {
    const path = standardLiteral(file);
    if (batch.format === 'parquet') return `read_parquet(${path})`;
    const columns = `{${plan.columns.map((c) => `${standardLiteral(c.name)}: ${standardLiteral(c.type)}`).join(', ')}}`;
    const compression = standardLiteral(gzip ? 'gzip' : 'uncompressed');
    if (batch.format === 'jsonl') return `read_json(${path}, format = 'newline_delimited', columns = ${columns}, compression = ${compression})`;
    const { csv } = batch.options;
    return (
      `read_csv(${path}, header = ${csv.header}, delim = ${standardLiteral(csv.delimiter)}, quote = '"', escape = '"', ` +
      `nullstr = ${standardLiteral(csv.null)}, allow_quoted_nulls = false, auto_detect = false, strict_mode = true, ` +
      `columns = ${columns}, compression = ${compression})`
    );
  }
}

function located(err: unknown, index: number, object: BatchObject): unknown {
  const problem = err instanceof Problem ? err : classifyDuckdb(err);
  if (!problem || problem.code !== 'DataError') return problem ?? err;
  const message = `s3://${object.bucket}/${object.key}: ${problem.detail ?? problem.title}`;
  return new Problem('DataError', { detail: message, errors: [{ path: `/batch/objects/${index}`, message }, ...(problem.errors ?? [])], cause: err });
}
