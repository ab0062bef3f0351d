/**
 * A local evaluation: bring the data to local files, evaluate it with the DuckDB evaluator
 * (row-level when quarantining), publish passed and quarantined rows, keep the metrics
 * for dynamic rules.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { encodeMetrics } from '@dagwright/dqdl';
import type { EvaluateResult } from '@dagwright/dqdl/eval';
import { Problem, type FieldError } from '../../kit/errors/problem.js';
import type { JobContext } from '../../kit/jobs/runner.js';
import type { DatasetObject, DatasetPlan } from './dataset.js';
import { evaluationProblem, rulesFailed } from './problems.js';
import { runDate } from './run-date.js';
import { evaluateIsolated } from '../isolation/isolated-evaluate.js';
import type { EvaluationLimits } from '../isolation/limits.js';
import type { EvaluationInput, EvaluationResult, RuleSummary } from './types.js';
import { BATCH_INLINE_MAX_OBJECTS, BATCH_MANIFEST_PREFIX, type BatchManifestRef } from '../../../src/contract/index.js';
import type { ManifestEntry } from '../../kit/batch-manifest/index.js';
import { formatLocation, partitionValue, type Location } from '../objects/locations.js';
import type { PublishFaults } from '../objects/publish.js';
import type { DqStore } from '../store/types.js';
import { fetchDataset, storageProblem, type Storages } from './fetch.js';
import type { ScratchBudget } from './scratch.js';
import { outputPlaces, writeOutputs } from './outputs.js';

const HISTORY_RUNS = 100;

export interface LocalRunDeps {
  readonly store: DqStore;
  readonly storages: Storages;
  /** This process's scratch folder (see `prepareWorkDir`). */
  readonly workDir: string;
  readonly scratch: ScratchBudget;
  readonly threads?: number;
  readonly faults?: PublishFaults;
  /** The bucket of batch objects that name none. */
  readonly defaultBucket?: string;
  /** Writes the manifest of a large prefix's objects (`handOn`); without it they are handed on inline. */
  readonly writeManifest?: ManifestWriter;
  now(): Date;
  plan(dataset: EvaluationInput['dataset'], at: string): DatasetPlan;
  outputRoot(input: EvaluationInput, plan: DatasetPlan): Location;
}

/**
 * The input batch for the next task; a batch of bare keys (as the bookmarks batch comes)
 * gets the `source` its objects were read from, so a load can find their bucket.
 */
function withSource(dataset: EvaluationInput['dataset'], defaultBucket: string | undefined): EvaluationInput['dataset'] {
  if (typeof dataset === 'string' || dataset.source !== undefined || dataset.bucket !== undefined || defaultBucket === undefined) return dataset;
  return { ...dataset, source: `s3://${defaultBucket}/` };
}

/**
 * The batch a load reads after an evaluation that did not quarantine. An S3 prefix is handed
 * on as the objects evaluated (under `source`): the loader takes only a batch of objects, and
 * the load then loads exactly what was checked. A local path stays as it was given.
 */
export function nextBatch(dataset: EvaluationInput['dataset'], evaluated: readonly DatasetObject[], defaultBucket: string | undefined): unknown {
  if (typeof dataset === 'string') {
    if (!dataset.startsWith('s3://') || evaluated.length === 0 || evaluated.some((o) => o.location.scheme !== 's3')) return dataset;
    return { source: dataset, objects: evaluated.map((o) => formatLocation(o.location)) };
  }
  return withSource(dataset, defaultBucket);
}

/** Writes a batch manifest under `prefix` of `bucket` (services/kit/batch-manifest). */
export type ManifestWriter = (at: { readonly bucket: string; readonly prefix: string }, entries: readonly ManifestEntry[], source: string) => Promise<BatchManifestRef>;

/**
 * `nextBatch`, with an S3 prefix of more than `BATCH_INLINE_MAX_OBJECTS` objects handed on as
 * a manifest of the objects evaluated (in `_dagwright/batches/pipeline=…/run=…/` of their
 * bucket), not as a list that would not fit the loader's request body.
 */
export async function handOn(dataset: EvaluationInput['dataset'], evaluated: readonly DatasetObject[], deps: Pick<LocalRunDeps, 'defaultBucket' | 'writeManifest'>, input: Pick<EvaluationInput, 'pipeline' | 'run_id'>): Promise<unknown> {
  const next = nextBatch(dataset, evaluated, deps.defaultBucket);
  if (typeof dataset !== 'string' || typeof next !== 'object' || next === null || evaluated.length <= BATCH_INLINE_MAX_OBJECTS || deps.writeManifest === undefined) return next;
  const bucket = evaluated[0]!.location.bucket;
  if (evaluated.some((o) => o.location.scheme !== 's3' || o.location.bucket !== bucket)) return next;
  const prefix = `${BATCH_MANIFEST_PREFIX}/pipeline=${partitionValue(input.pipeline)}/run=${partitionValue(input.run_id)}`;
  const entries = evaluated.map((o) => ({ key: o.location.key, ...(o.size !== undefined ? { size: o.size } : {}), ...(o.etag !== undefined ? { etag: o.etag } : {}) }));
  return deps.writeManifest({ bucket, prefix }, entries, `s3://${bucket}/`);
}

function historyKeyOf(input: EvaluationInput, rulesetId: string): string {
  const dataset = typeof input.dataset === 'string' ? input.dataset : typeof input.dataset.source === 'string' ? input.dataset.source : '';
  return input.history_key ?? `${input.pipeline}|${rulesetId}|${dataset}`;
}

/**
 * Evaluates on DuckDB: fetch, evaluate (row-level when quarantining; in a child process
 * held to `limits`), publish outputs, keep history.
 */
export async function runLocally(deps: LocalRunDeps, input: EvaluationInput, text: string, rulesetId: string, limits: EvaluationLimits, ctx: JobContext): Promise<EvaluationResult> {
  const dir = path.join(deps.workDir, ctx.jobId);
  mkdirSync(dir, { recursive: true });
  let held = 0;
  const hold = (bytes: number) => {
    deps.scratch.take(bytes, held);
    held += bytes;
  };
  try {
    const plan = deps.plan(input.dataset, '/dataset');
    const quarantine = input.on_violation === 'quarantine';
    const root = quarantine ? deps.outputRoot(input, plan) : undefined;
    const origins = new Map<string, string>();
    const fetchOrFail = async (p: DatasetPlan, at: string, sub: string) => {
      mkdirSync(path.join(dir, sub), { recursive: true });
      const admit = (objects: readonly DatasetObject[]): void => {
        if (p.kind === 'manifest') ctx.access.require({ s3Read: objects.filter((o) => o.location.scheme === 's3').map((o) => ({ bucket: o.location.bucket, key: o.location.key })) });
      };
      const fetched = await fetchDataset(deps.storages, p, path.join(dir, sub), at, hold, admit, ctx.signal);
      if (Array.isArray(fetched)) throw new Problem('Request.Invalid', { detail: (fetched as FieldError[])[0]!.message, errors: fetched as FieldError[] });
      for (const [k, v] of fetched.origins) origins.set(k, v);
      return fetched;
    };
    const primary = await fetchOrFail(plan, '/dataset', 'data');
    const references: Record<string, { files: readonly string[]; format?: 'csv' | 'jsonl' | 'parquet' }> = {};
    for (const [alias, ref] of Object.entries(input.references ?? {})) {
      references[alias] = { files: (await fetchOrFail(deps.plan(ref, `/references/${alias}`), `/references/${alias}`, `ref-${Object.keys(references).length}`)).files };
    }
    const historyKey = historyKeyOf(input, rulesetId);
    const history = await deps.store.metricHistory(historyKey, input.run_id, HISTORY_RUNS);
    const target = quarantine ? { passed: path.join(dir, 'out', 'passed.parquet'), failed: path.join(dir, 'out', 'failed.parquet') } : undefined;
    if (target !== undefined) mkdirSync(path.join(dir, 'out'), { recursive: true });
    const evaluated: EvaluateResult = await evaluateIsolated(
      {
        text,
        data: { files: primary.files, ...(input.format !== undefined ? { format: input.format } : {}) },
        references,
        history: [...history.entries()],
        now: deps.now().toISOString(),
        workDir: path.join(dir, 'duckdb'),
        ...(target !== undefined ? { rowLevel: target } : {}),
        ...(deps.threads !== undefined ? { threads: deps.threads } : {}),
      },
      limits,
      ctx.signal,
    );
    if (evaluated.evaluation === undefined) {
      throw evaluationProblem(text, evaluated.errors.map((e) => (e.file !== undefined ? { ...e, file: origins.get(e.file) ?? e.file } : e)));
    }
    const e = evaluated.evaluation;
    const rules: RuleSummary[] = e.rules.map((r) => ({ name: r.name, rule: r.rule, result: r.result, ...(r.message !== undefined ? { message: r.message } : {}), metrics: encodeMetrics(r.metrics), labels: r.labels }));
    // A rule that ERRORed (an unknown column, an invalid where clause, ...) judged no row:
    // quarantining cannot tell its passing rows, so the gate fails and nothing is published.
    if (quarantine && rules.some((r) => r.result === 'ERROR')) throw rulesFailed(rules);
    const outcome = e.rules.every((r) => r.result === 'PASS') ? 'passed' : 'failed';
    const base = {
      evaluation_id: ctx.jobId,
      outcome,
      score: e.score,
      rules,
      analyzers: e.analyzers.map((a) => ({ name: a.name, analyzer: a.analyzer, metrics: encodeMetrics(a.metrics), ...(a.message !== undefined ? { message: a.message } : {}) })),
      pipeline: input.pipeline,
      run_id: input.run_id,
      engine: 'duckdb',
    } as const;
    let result: EvaluationResult;
    if (target === undefined || root === undefined) {
      result = { ...base, rows_in: e.rowCount, rows_passed: e.rowCount, rows_quarantined: 0, batch: await handOn(input.dataset, primary.objects, deps, input) };
    } else {
      const counts = evaluated.rowLevel ?? { rowsIn: 0, rowsPassed: 0, rowsFailed: 0 };
      if (counts.rowsIn !== counts.rowsPassed + counts.rowsFailed || counts.rowsIn !== e.rowCount) {
        throw new Error(`row accounting broke: ${counts.rowsIn} in, ${counts.rowsPassed} passed, ${counts.rowsFailed} failed, ${e.rowCount} counted`);
      }
      const dt = await deps.store.claimRunDate(input.pipeline, input.run_id, runDate(input.run_id, input.dt, input.received_dt));
      const storage = root.scheme === 's3' ? deps.storages.s3 : deps.storages.file;
      const manifest = { pipeline: input.pipeline, run_id: input.run_id, dt, evaluation_id: ctx.jobId, rows_in: counts.rowsIn, rows_passed: counts.rowsPassed, rows_quarantined: counts.rowsFailed, failed_rules: rules.filter((r) => r.result !== 'PASS') };
      let outputs;
      try {
        outputs = await writeOutputs({
          storage,
          places: outputPlaces(root, input.pipeline, dt, input.run_id),
          attempt: ctx.jobId,
          ...(existsSync(target.passed) ? { passedFile: target.passed } : {}),
          ...(counts.rowsFailed > 0 ? { failedFile: target.failed } : {}),
          manifest,
          ...(deps.faults !== undefined ? { faults: deps.faults } : {}),
          signal: ctx.signal,
        });
      } catch (err) {
        if (err instanceof Problem) throw err;
        if ((err as { $metadata?: unknown }).$metadata !== undefined) throw storageProblem(err, 'the output location');
        throw err;
      }
      result = { ...base, rows_in: counts.rowsIn, rows_passed: counts.rowsPassed, rows_quarantined: counts.rowsFailed, batch: outputs.passed, quarantine: outputs.quarantine, dt };
    }
    await deps.store.recordMetrics(historyKey, input.run_id, deps.now().toISOString(), Object.entries(e.history).map(([metric, value]) => ({ metric, value })));
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    deps.scratch.give(held);
  }
}
