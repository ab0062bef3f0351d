import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Problem } from '../../../kit/errors/problem.js';
import { compressionOf } from '../../domain/batch.js';
import { lateJsonKeys } from '../../domain/drift.js';
import { LOAD_ORDER_COLUMN } from '../../domain/staging-names.js';
import type { BatchObject } from '../../domain/types.js';
import type { ParquetTools } from '../../source/parquet.js';
import type { LoadPlan, StageBatch, StageContext, StageInto, StageOutcome, Stager } from '../target.js';
import type { CopyFrom } from './postgres-config.js';
import type { PostgresTransaction } from './postgres-driver.js';
import { classifyPostgres } from './postgres-errors.js';
import type { PostgresCompiler } from './postgres-compiler.js';

/**
 * Streams each object from S3 into `COPY … FROM STDIN`, one object after the
 * other, with backpressure end to end: memory stays flat whatever the size.
 * CSV goes in as is; JSON lines go through a one-column `jsonb` table and
 * `jsonb_to_record`; Parquet is turned into CSV by DuckDB through a FIFO.
 */
export class PostgresStager implements Stager<PostgresTransaction> {
  constructor(
    private readonly compiler: PostgresCompiler,
    private readonly copyFrom: CopyFrom,
    private readonly parquet: ParquetTools,
  ) {}

  async stage(tx: PostgresTransaction, plan: LoadPlan, batch: StageBatch, ctx: StageContext, into: StageInto): Promise<StageOutcome> {
    const dest = into === 'staging' ? this.compiler.ident(plan.names.stage) : this.compiler.table(plan.table);
    // A staging table was created in this transaction: its rows may be written frozen (no hint-bit rewrite on the reads that follow).
    const freeze = into === 'staging' ? ', FREEZE true' : '';
    const cols = plan.columns.map((c) => this.compiler.ident(c.name)).join(', ');
    const raw = this.compiler.ident(`${plan.names.stage}_raw`);
    const seq = this.compiler.ident(LOAD_ORDER_COLUMN);
    if (batch.format === 'jsonl') await tx.execute(`CREATE TEMP TABLE ${raw} (${seq} BIGSERIAL, doc JSONB)`);
    let rows = 0;
    let checkpointed = false;
    for (const [index, object] of batch.objects.entries()) {
      ctx.signal.throwIfAborted();
      const tap = checkpointAfter(Math.min(64 * 1024, Math.max(1, Math.floor((object.size ?? 0) / 2))), async () => {
        if (checkpointed) return;
        checkpointed = true;
        await ctx.hooks.checkpoint?.('copying', { key: plan.ledgerRow.key, target: plan.table.name });
      });
      try {
        if (batch.format === 'csv') {
          const { csv } = batch.options;
          const sql =
            `COPY ${dest} (${cols}) FROM STDIN WITH (FORMAT csv, HEADER ${csv.header ? 'true' : 'false'}, ` +
            `DELIMITER ${this.compiler.literal(csv.delimiter)}, NULL ${this.compiler.literal(csv.null)}${freeze})`;
          rows += await this.copy(tx, sql, await this.open(object, batch, ctx), tap, ctx);
        } else if (batch.format === 'jsonl') {
          const sql = `COPY ${raw} (doc) FROM STDIN WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')`;
          await this.copy(tx, sql, await this.open(object, batch, ctx), tap, ctx);
        } else {
          rows += await this.copyParquet(tx, `COPY ${dest} (${cols}) FROM STDIN WITH (FORMAT csv, HEADER false${freeze})`, object, plan, tap, ctx);
        }
      } catch (err) {
        throw located(err, index, object);
      }
    }
    if (batch.format === 'jsonl') {
      const known = plan.columns.map((c) => this.compiler.literal(c.name)).join(', ');
      const late = await tx.query(
        `SELECT k AS key FROM ${raw} AS j CROSS JOIN LATERAL jsonb_object_keys(j.doc) AS k ` +
          `WHERE jsonb_typeof(j.doc) = 'object' AND k NOT IN (${known}) GROUP BY k ORDER BY k LIMIT 20`,
      );
      if (late.length > 0) throw lateJsonKeys(late.map((r) => String(r.key)));
      const types = plan.columns.map((c) => `${this.compiler.ident(c.name)} ${c.type}`).join(', ');
      const inserted = await tx.client.query(
        `INSERT INTO ${dest} (${cols}) SELECT ${plan.columns.map((c) => `r.${this.compiler.ident(c.name)}`).join(', ')} FROM ${raw} AS j CROSS JOIN LATERAL jsonb_to_record(j.doc) AS r(${types}) ORDER BY j.${seq}`,
      );
      rows = inserted.rowCount ?? 0;
      await tx.execute(`DROP TABLE ${raw}`);
    }
    return { rows };
  }

  private async open(object: BatchObject, batch: StageBatch, ctx: StageContext): Promise<Readable> {
    const body = await ctx.objects.open(object, { signal: ctx.signal });
    return compressionOf(object.key, batch.options.compression) === 'gzip' ? body.pipe(createGunzip()) : body;
  }

  /** One `COPY … FROM STDIN`; returns the rows it wrote. */
  private async copy(tx: PostgresTransaction, sql: string, source: Readable, tap: Transform, ctx: StageContext): Promise<number> {
    const sink = tx.client.query(this.copyFrom(sql));
    await pipeline(source, tap, sink, { signal: ctx.signal });
    return sink.rowCount ?? 0;
  }

  private async copyParquet(tx: PostgresTransaction, sql: string, object: BatchObject, plan: LoadPlan, tap: Transform, ctx: StageContext): Promise<number> {
    const id = randomBytes(6).toString('hex');
    const file = join(ctx.tempDir, `stage-${id}.parquet`);
    const fifo = join(ctx.tempDir, `stage-${id}.csv`);
    try {
      await ctx.objects.download(object, file, ctx.signal);
      const columns = plan.columns.map((c) => c.name);
      const fifoMade = spawnSync('mkfifo', ['-m', '600', fifo]).status === 0;
      const convert = this.parquet.toCsv(file, columns, fifo);
      if (!fifoMade) {
        await convert;
        return await this.copy(tx, sql, createReadStream(fifo), tap, ctx);
      }
      // If DuckDB fails before it opens the FIFO, open it ourselves so the reader is not left waiting.
      const unblock = convert.catch(async (err: unknown) => {
        await open(fifo, 'w').then((h) => h.close()).catch(() => undefined);
        throw err;
      });
      const [copied, converted] = await Promise.allSettled([this.copy(tx, sql, createReadStream(fifo), tap, ctx), unblock]);
      if (converted.status === 'rejected') throw parquetProblem(converted.reason, object);
      if (copied.status === 'rejected') throw copied.reason;
      return copied.value;
    } finally {
      await rm(file, { force: true });
      await rm(fifo, { force: true });
    }
  }
}

/** Passes data through; calls `at` once, when `bytes` have gone by, and holds the stream until it resolves. */
function checkpointAfter(bytes: number, at: () => Promise<void>): Transform {
  let seen = 0;
  let fired = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (fired || seen < bytes) return done(null, chunk);
      fired = true;
      this.push(chunk);
      at().then(() => done(), done);
    },
  });
}

/** Errors during COPY name the object (and the line, which PostgreSQL reports). */
function located(err: unknown, index: number, object: BatchObject): unknown {
  const problem = err instanceof Problem ? err : classifyPostgres(err);
  if (!problem || problem.code !== 'DataError') return problem ?? err;
  const message = `s3://${object.bucket}/${object.key}: ${problem.detail ?? problem.title}`;
  return new Problem('DataError', { detail: message, errors: [{ path: `/batch/objects/${index}`, message }], cause: err });
}

function parquetProblem(err: unknown, object: BatchObject): Problem {
  if (err instanceof Problem) return err;
  const message = `s3://${object.bucket}/${object.key}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`;
  return new Problem('DataError', { detail: `could not read Parquet: ${message}`, errors: [{ path: '/batch', message }], cause: err });
}
