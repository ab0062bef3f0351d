import { Problem } from '../../../kit/errors/problem.js';
import { compressionOf } from '../../domain/batch.js';
import type { LoadPlan, StageBatch, StageContext, StageInto, StageOutcome, Stager, Transaction } from '../target.js';
import type { RedshiftCompiler } from './redshift-compiler.js';

export interface RedshiftStageOptions {
  readonly iamRole: string;
  /** `s3://bucket/prefix/` */
  readonly manifestPrefix: string;
  /**
   * Interactive drivers (the wire protocol) see a failed COPY at once: this
   * reads its rows from the load-errors view, by the batch's files.
   */
  readonly loadErrors?: (files: readonly string[], since: string, error: unknown) => Promise<Problem>;
}

/** A COPY manifest naming exactly the batch's objects, each mandatory, with its length (Parquet needs it). */
export function buildManifest(batch: StageBatch): string {
  const entries = batch.objects.map((o) => ({ url: `s3://${o.bucket}/${o.key}`, mandatory: true, meta: { content_length: o.size ?? 0 } }));
  return JSON.stringify({ entries }, null, 2);
}

export function manifestLocation(prefix: string, loadId: string): { bucket: string; key: string; url: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(prefix);
  if (!m) throw new Error(`manifest_prefix ${prefix} is not an s3:// URI`);
  const base = (m[2] ?? '').replace(/([^/])$/, '$1/');
  const key = `${base}${loadId}.manifest`;
  return { bucket: m[1] as string, key, url: `s3://${m[1]}/${key}` };
}

/**
 * Redshift loads from S3 itself: the stager writes the manifest, then one
 * `COPY … MANIFEST` into the staging table, run inside the transaction.
 */
export class RedshiftStager implements Stager {
  constructor(
    private readonly compiler: RedshiftCompiler,
    private readonly options: RedshiftStageOptions,
  ) {}

  async stage(tx: Transaction, plan: LoadPlan, batch: StageBatch, ctx: StageContext, into: StageInto): Promise<StageOutcome> {
    if (into !== 'staging') throw new Error('Redshift loads always stage (redshiftAdapter.directLoads is false)');
    const where = manifestLocation(this.options.manifestPrefix, plan.ledgerRow.loadId);
    await ctx.objects.put(where.bucket, where.key, buildManifest(batch), 'application/json');
    const since = new Date(Date.now() - 60_000).toISOString().replace('T', ' ').replace('Z', '');
    try {
      await tx.execute(this.copy(plan, batch, where.url), 'copy');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (this.options.loadErrors && /Load into table|load_error/i.test(message)) {
        throw await this.options.loadErrors(batch.objects.map((o) => `s3://${o.bucket}/${o.key}`), since, err);
      }
      throw err;
    }
    await ctx.hooks.checkpoint?.('copying', { key: plan.ledgerRow.key, target: plan.table.name });
    return { rows: undefined };
  }

  /** The COPY statement (golden-tested). */
  copy(plan: LoadPlan, batch: StageBatch, manifestUrl: string): string {
    const c = this.compiler;
    const gzip = batch.objects.some((o) => compressionOf(o.key, batch.options.compression) === 'gzip');
    if (gzip && !batch.objects.every((o) => compressionOf(o.key, batch.options.compression) === 'gzip')) {
      throw new Problem('Request.Invalid', { detail: 'Redshift COPY needs one compression for the whole batch', errors: [{ path: '/options/compression', message: 'the objects mix gzip and plain' }] });
    }
    const stage = c.ident(plan.names.stage);
    const cols = plan.columns.map((col) => c.ident(col.name)).join(', ');
    const head = `COPY ${stage}`;
    const from = `FROM ${c.literal(manifestUrl)} IAM_ROLE ${c.literal(this.options.iamRole)} MANIFEST`;
    const tail = 'COMPUPDATE OFF STATUPDATE OFF';
    if (batch.format === 'parquet') return `${head} ${from} FORMAT AS PARQUET ${tail}`;
    const z = gzip ? ' GZIP' : '';
    if (batch.format === 'jsonl') return `${head} (${cols}) ${from} FORMAT AS JSON 'auto'${z} TIMEFORMAT 'auto' DATEFORMAT 'auto' ${tail}`;
    const { csv } = batch.options;
    return (
      `${head} (${cols}) ${from} FORMAT AS CSV DELIMITER ${c.literal(csv.delimiter)}${csv.header ? ' IGNOREHEADER 1' : ''} ` +
      `NULL AS ${c.literal(csv.null)}${z} TIMEFORMAT 'auto' DATEFORMAT 'auto' ${tail}`
    );
  }
}
