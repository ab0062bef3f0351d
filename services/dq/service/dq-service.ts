/**
 * The dq service's work: resolve the ruleset (text or stored name) and the dataset,
 * evaluate it with the DuckDB evaluator (or offload it to AWS Glue), quarantine failing
 * rows, keep the evaluation and the metric history, and answer the job's result.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseRuleset, type Ruleset } from '../../../src/dqdl/index.js';
import { evaluate, type EvaluateResult } from '../../../src/dqdl/eval/index.js';
import type { JobContext } from '../../kit/jobs/runner.js';
import { HttpProblem, type FieldError } from '../../kit/errors/http-problem.js';
import { planDataset, type DatasetPlan } from '../domain/dataset.js';
import { evaluationProblem, invalidRuleset } from '../domain/problems.js';
import { runDate } from '../domain/run-date.js';
import type { EvaluationInput, EvaluationResult, RuleSummary } from '../domain/types.js';
import type { GlueOffload } from '../glue/glue-offload.js';
import { parseLocation, type Location } from '../storage/locations.js';
import type { PublishFaults } from '../storage/publish.js';
import type { DqStore } from '../store/types.js';
import { fetchDataset, storageProblem, type Storages } from './fetch.js';
import { outputPlaces, writeOutputs } from './outputs.js';

export interface DqServiceOptions {
  readonly store: DqStore;
  readonly storages: Storages;
  /** Scratch space for downloads and outputs (one folder per job). */
  readonly workDir: string;
  /** Where passed rows and quarantine go unless the request says (`s3://bucket/prefix/`). */
  readonly outputRoot?: string;
  /** The bucket of batch objects that name none. */
  readonly defaultBucket?: string;
  /** Local directories datasets and outputs may be in. */
  readonly localRoots?: readonly string[];
  readonly threads?: number;
  readonly memoryLimit?: string;
  readonly glue?: GlueOffload;
  readonly now?: () => Date;
  /** Tests only: crash while publishing. */
  readonly faults?: PublishFaults;
  /** Observes outcomes (metrics). */
  readonly onEvaluated?: (result: EvaluationResult) => void;
}

const HISTORY_RUNS = 100;

export class DqService {
  private readonly localRoots: readonly string[];
  constructor(private readonly o: DqServiceOptions) {
    this.localRoots = (o.localRoots ?? []).map((r) => path.resolve(r));
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  /** The ruleset's text and identity: as given, or stored under its name. */
  async rulesetText(input: EvaluationInput): Promise<{ text: string; id: string }> {
    if (typeof input.ruleset === 'string') return { text: input.ruleset, id: createHash('sha256').update(input.ruleset).digest('hex').slice(0, 16) };
    const stored = await this.o.store.getRuleset(input.ruleset.name);
    if (stored === undefined) throw new HttpProblem('Resource.NotFound', { detail: `no ruleset named ${input.ruleset.name}`, errors: [{ path: '/ruleset/name', message: 'is not a stored ruleset' }] });
    return { text: stored.text, id: `name:${input.ruleset.name}` };
  }

  parse(text: string): Ruleset {
    const { ruleset, diagnostics } = parseRuleset(text);
    if (ruleset === undefined) throw invalidRuleset(text, diagnostics);
    return ruleset;
  }

  private plan(dataset: EvaluationInput['dataset'], at: string): DatasetPlan {
    const plan = planDataset(dataset, at, { localRoots: this.localRoots, ...(this.o.defaultBucket !== undefined ? { defaultBucket: this.o.defaultBucket } : {}) });
    if (Array.isArray(plan)) throw new HttpProblem('Request.Invalid', { detail: plan[0]?.message ?? 'invalid dataset', errors: plan });
    return plan as DatasetPlan;
  }

  private outputRoot(input: EvaluationInput, plan: DatasetPlan): Location {
    const given = input.output ?? this.o.outputRoot;
    if (given !== undefined) {
      const at = parseLocation(given, this.localRoots);
      if (typeof at === 'string') throw new HttpProblem('Request.Invalid', { detail: at, errors: [{ path: '/output', message: at }] });
      return at;
    }
    const first = plan.kind === 'listing' ? plan.at : plan.objects[0]?.location;
    if (first?.scheme === 's3') return { scheme: 's3', bucket: first.bucket, key: '_dagwright/dq' };
    throw new HttpProblem('Request.Invalid', { detail: 'quarantine needs an output location: give output, or set DAGWRIGHT_DQ_OUTPUT', errors: [{ path: '/output', message: 'is required for local datasets' }] });
  }

  /** Checks made before a job is created: the ruleset parses, the dataset and outputs are well-formed. */
  async admit(input: EvaluationInput): Promise<void> {
    const { text } = await this.rulesetText(input);
    this.parse(text);
    if (input.engine === 'glue') {
      if (input.glue === undefined) throw new HttpProblem('Request.Invalid', { detail: 'engine glue needs glue: {database, table}', errors: [{ path: '/glue', message: 'is required with engine glue' }] });
      if (input.on_violation === 'quarantine') throw new HttpProblem('Request.Invalid', { detail: 'quarantine needs row-level results, which the Glue engine does not return here', errors: [{ path: '/on_violation', message: 'must be fail or warn with engine glue' }] });
      if (this.o.glue === undefined) throw new HttpProblem('Request.Invalid', { detail: 'this service has no Glue client', errors: [{ path: '/engine', message: 'glue is not available' }] });
      return;
    }
    const plan = this.plan(input.dataset, '/dataset');
    for (const [alias, ref] of Object.entries(input.references ?? {})) this.plan(ref, `/references/${alias}`);
    if (input.on_violation === 'quarantine') this.outputRoot(input, plan);
  }

  async run(input: EvaluationInput, ctx: JobContext): Promise<EvaluationResult> {
    const { text, id: rulesetId } = await this.rulesetText(input);
    const ruleset = this.parse(text);
    const result = input.engine === 'glue' ? await this.runOnGlue(input, text, ctx) : await this.runLocally(input, ruleset, text, rulesetId, ctx);
    await this.o.store.saveEvaluation({
      id: ctx.jobId,
      pipeline: input.pipeline,
      run_id: input.run_id,
      attempt: ctx.attempt,
      outcome: result.outcome,
      score: result.score,
      rows_in: result.rows_in,
      rows_passed: result.rows_passed,
      rows_quarantined: result.rows_quarantined,
      result,
      created_at: this.now().toISOString(),
    });
    this.o.onEvaluated?.(result);
    if (input.on_violation === 'fail' && result.outcome === 'failed') throw rulesFailed(result.rules);
    return result;
  }

  private async runOnGlue(input: EvaluationInput, text: string, ctx: JobContext): Promise<EvaluationResult> {
    const glue = await this.o.glue!.evaluate(text, input.glue!, ctx.jobId, ctx.signal);
    const rows = glue.rowsIn ?? 0;
    return {
      evaluation_id: ctx.jobId,
      outcome: glue.rules.every((r) => r.result === 'PASS') ? 'passed' : 'failed',
      score: glue.score,
      rows_in: rows,
      rows_passed: rows,
      rows_quarantined: 0,
      rules: glue.rules,
      analyzers: glue.analyzers,
      batch: input.dataset,
      pipeline: input.pipeline,
      run_id: input.run_id,
      engine: 'glue',
    };
  }

  private historyKey(input: EvaluationInput, rulesetId: string): string {
    const dataset = typeof input.dataset === 'string' ? input.dataset : typeof input.dataset.source === 'string' ? input.dataset.source : '';
    return input.history_key ?? `${input.pipeline}|${rulesetId}|${dataset}`;
  }

  private async runLocally(input: EvaluationInput, ruleset: Ruleset, text: string, rulesetId: string, ctx: JobContext): Promise<EvaluationResult> {
    const dir = path.join(this.o.workDir, ctx.jobId);
    mkdirSync(dir, { recursive: true });
    try {
      const plan = this.plan(input.dataset, '/dataset');
      const quarantine = input.on_violation === 'quarantine';
      const root = quarantine ? this.outputRoot(input, plan) : undefined;
      const origins = new Map<string, string>();
      const fetchOrFail = async (p: DatasetPlan, at: string, sub: string) => {
        mkdirSync(path.join(dir, sub), { recursive: true });
        const fetched = await fetchDataset(this.o.storages, p, path.join(dir, sub), at, ctx.signal);
        if (Array.isArray(fetched)) throw new HttpProblem('Request.Invalid', { detail: (fetched as FieldError[])[0]!.message, errors: fetched as FieldError[] });
        for (const [k, v] of fetched.origins) origins.set(k, v);
        return fetched;
      };
      const primary = await fetchOrFail(plan, '/dataset', 'data');
      const references: Record<string, { files: readonly string[]; format?: 'csv' | 'jsonl' | 'parquet' }> = {};
      for (const [alias, ref] of Object.entries(input.references ?? {})) {
        references[alias] = { files: (await fetchOrFail(this.plan(ref, `/references/${alias}`), `/references/${alias}`, `ref-${Object.keys(references).length}`)).files };
      }
      const historyKey = this.historyKey(input, rulesetId);
      const history = await this.o.store.metricHistory(historyKey, input.run_id, HISTORY_RUNS);
      const target = quarantine ? { passed: path.join(dir, 'out', 'passed.parquet'), failed: path.join(dir, 'out', 'failed.parquet') } : undefined;
      if (target !== undefined) mkdirSync(path.join(dir, 'out'), { recursive: true });
      const evaluated: EvaluateResult = await evaluate({
        ruleset,
        data: { files: primary.files, ...(input.format !== undefined ? { format: input.format } : {}) },
        references,
        history: (k) => history.get(k) ?? [],
        now: this.now(),
        workDir: path.join(dir, 'duckdb'),
        ...(target !== undefined ? { rowLevel: target } : {}),
        ...(this.o.threads !== undefined ? { threads: this.o.threads } : {}),
        ...(this.o.memoryLimit !== undefined ? { memoryLimit: this.o.memoryLimit } : {}),
      });
      if (evaluated.evaluation === undefined) {
        throw evaluationProblem(text, evaluated.errors.map((e) => (e.file !== undefined ? { ...e, file: origins.get(e.file) ?? e.file } : e)));
      }
      const e = evaluated.evaluation;
      const rules: RuleSummary[] = e.rules.map((r) => ({ name: r.name, rule: r.rule, result: r.result, ...(r.message !== undefined ? { message: r.message } : {}), metrics: r.metrics, labels: r.labels }));
      const outcome = e.rules.every((r) => r.result === 'PASS') ? 'passed' : 'failed';
      const base = {
        evaluation_id: ctx.jobId,
        outcome,
        score: e.score,
        rules,
        analyzers: e.analyzers.map((a) => ({ name: a.name, analyzer: a.analyzer, metrics: a.metrics, ...(a.message !== undefined ? { message: a.message } : {}) })),
        pipeline: input.pipeline,
        run_id: input.run_id,
        engine: 'duckdb',
      } as const;
      let result: EvaluationResult;
      if (target === undefined || root === undefined) {
        result = { ...base, rows_in: e.rowCount, rows_passed: e.rowCount, rows_quarantined: 0, batch: input.dataset };
      } else {
        const counts = evaluated.rowLevel ?? { rowsIn: 0, rowsPassed: 0, rowsFailed: 0 };
        if (counts.rowsIn !== counts.rowsPassed + counts.rowsFailed || counts.rowsIn !== e.rowCount) {
          throw new Error(`row accounting broke: ${counts.rowsIn} in, ${counts.rowsPassed} passed, ${counts.rowsFailed} failed, ${e.rowCount} counted`);
        }
        const dt = await this.o.store.claimRunDate(input.pipeline, input.run_id, runDate(input.run_id, input.dt, input.received_dt));
        const storage = root.scheme === 's3' ? this.o.storages.s3 : this.o.storages.file;
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
            ...(this.o.faults !== undefined ? { faults: this.o.faults } : {}),
            signal: ctx.signal,
          });
        } catch (err) {
          if (err instanceof HttpProblem) throw err;
          if ((err as { $metadata?: unknown }).$metadata !== undefined) throw storageProblem(err, 'the output location');
          throw err;
        }
        result = { ...base, rows_in: counts.rowsIn, rows_passed: counts.rowsPassed, rows_quarantined: counts.rowsFailed, batch: outputs.passed, quarantine: outputs.quarantine, dt };
      }
      await this.o.store.recordMetrics(historyKey, input.run_id, this.now().toISOString(), Object.entries(e.history).map(([metric, value]) => ({ metric, value })));
      return result;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

function rulesFailed(rules: readonly RuleSummary[]): HttpProblem {
  const failed = rules.filter((r) => r.result !== 'PASS');
  return new HttpProblem('DQ.RulesFailed', {
    detail: `${failed.length} of ${rules.length} rules did not pass: ${failed.map((r) => `${r.name} ${r.rule} (${r.result})`).join('; ')}`,
    errors: failed.map((r) => ({ path: `/rules/${r.name.replace('Rule_', '')}`, message: `${r.result}: ${r.rule}${r.message !== undefined ? ` — ${r.message}` : ''}` })),
  });
}
