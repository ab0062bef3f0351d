/**
 * The dq service's work: resolve the ruleset (text or stored name) and the dataset,
 * evaluate it with the DuckDB evaluator (or offload it to AWS Glue), quarantine failing
 * rows, keep the evaluation and the metric history, and answer the job's result.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { JobContext } from '../../kit/jobs/runner.js';
import { parseManifestUri } from '../../kit/batch-manifest/index.js';
import type { BatchManifestRef } from '../../../src/contract/index.js';
import { Problem } from '../../kit/errors/problem.js';
import type { Access, Need } from '../../kit/scopes/access.js';
import { planDataset, type DatasetPlan } from './dataset.js';
import { rulesFailed } from './problems.js';
import type { EvaluationInput, EvaluationResult } from './types.js';
import type { GlueOffload } from '../glue/glue-offload.js';
import { DEFAULT_LIMITS, limitsFor, type EvaluationLimits } from '../isolation/limits.js';
import type { StaticCheckOptions } from '@dagwright/dqdl/check';
import { OffLoopParser, type RulesetCounts } from '../isolation/off-loop-parse.js';
import { realPath } from '../../kit/fs/real-path.js';
import { parseLocation, type Location } from '../objects/locations.js';
import type { PublishFaults } from '../objects/publish.js';
import type { DqStore } from '../store/types.js';
import type { Storages } from './fetch.js';
import { runLocally, type LocalRunDeps, type ManifestWriter } from './local-run.js';
import { DEFAULT_WORK_MAX_BYTES, ScratchBudget } from './scratch.js';

export interface DqServiceOptions {
  readonly store: DqStore;
  readonly storages: Storages;
  /** This process's scratch space for downloads and outputs (one folder per job; see `prepareWorkDir`). */
  readonly workDir: string;
  /** Bytes evaluations may hold in scratch at once; `DEFAULT_WORK_MAX_BYTES` by default. */
  readonly workMaxBytes?: number;
  /** Where passed rows and quarantine go unless the request says (`s3://bucket/prefix/`). */
  readonly outputRoot?: string;
  /** The bucket of batch objects that name none. */
  readonly defaultBucket?: string;
  /** Local directories datasets and outputs may be in. */
  readonly localRoots?: readonly string[];
  readonly threads?: number;
  /** The most time and memory one evaluation may take (a request may ask for less). */
  readonly limits?: EvaluationLimits;
  readonly glue?: GlueOffload;
  readonly now?: () => Date;
  /** Tests only: crash while publishing. */
  readonly faults?: PublishFaults;
  /** Writes the manifest a large prefix's objects are handed on as. */
  readonly writeManifest?: ManifestWriter;
  /** Observes outcomes (metrics). */
  readonly onEvaluated?: (result: EvaluationResult) => void;
}

export class DqService {
  private readonly localRoots: readonly string[];
  private readonly scratch: ScratchBudget;
  private readonly parser = new OffLoopParser();
  private readonly maxLimits: EvaluationLimits;
  constructor(private readonly o: DqServiceOptions) {
    this.scratch = new ScratchBudget(o.workMaxBytes ?? DEFAULT_WORK_MAX_BYTES);
    this.localRoots = (o.localRoots ?? []).map((r) => realPath(path.resolve(r)));
    this.maxLimits = o.limits ?? DEFAULT_LIMITS;
    this.parser.start();
  }

  /** Stops the ruleset parser's worker thread. */
  async close(): Promise<void> {
    await this.parser.close();
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  /** The ruleset's text and identity: as given, or stored under its name. */
  async rulesetText(input: EvaluationInput): Promise<{ text: string; id: string }> {
    if (typeof input.ruleset === 'string') return { text: input.ruleset, id: createHash('sha256').update(input.ruleset).digest('hex').slice(0, 16) };
    const stored = await this.o.store.getRuleset(input.ruleset.name);
    if (stored === undefined) throw new Problem('Resource.NotFound', { detail: `no ruleset named ${input.ruleset.name}`, errors: [{ path: '/ruleset/name', message: 'is not a stored ruleset' }] });
    return { text: stored.text, id: `name:${input.ruleset.name}` };
  }

  /**
   * Parses the ruleset off the event loop, and makes the checks the evaluator makes before
   * reading data: its counts, or `DQ.InvalidRuleset` / `Ruleset.TooComplex`. A stored
   * ruleset's reference datasets are not known (`references` absent); a request's are its
   * own, and on AWS Glue (`evaluator: false`) only the parser's checks apply.
   */
  checkRuleset(text: string, at = '/ruleset', evaluator: StaticCheckOptions | false = {}): Promise<RulesetCounts> {
    return this.parser.check(text, at, evaluator === false ? undefined : evaluator);
  }

  /** The evaluator's checks for a request: its reference datasets; none on AWS Glue. */
  private evaluatorChecks(input: EvaluationInput): StaticCheckOptions | false {
    return input.engine === 'glue' ? false : { references: Object.keys(input.references ?? {}) };
  }

  private plan(dataset: EvaluationInput['dataset'], at: string): DatasetPlan {
    const plan = planDataset(dataset, at, { localRoots: this.localRoots, ...(this.o.defaultBucket !== undefined ? { defaultBucket: this.o.defaultBucket } : {}) });
    if (Array.isArray(plan)) throw new Problem('Request.Invalid', { detail: plan[0]?.message ?? 'invalid dataset', errors: plan });
    return plan as DatasetPlan;
  }

  private outputRoot(input: EvaluationInput, plan: DatasetPlan): Location {
    const given = input.output ?? this.o.outputRoot;
    if (given !== undefined) {
      const at = parseLocation(given, this.localRoots);
      if (typeof at === 'string') throw new Problem('Request.Invalid', { detail: at, errors: [{ path: '/output', message: at }] });
      return at;
    }
    const first = plan.kind === 'listing' ? plan.at : plan.kind === 'objects' ? plan.objects[0]?.location : { scheme: 's3' as const, bucket: plan.bucket ?? parseManifestUri(plan.ref.manifest)!.bucket, key: '' };
    if (first?.scheme === 's3') return { scheme: 's3', bucket: first.bucket, key: '_dagwright/dq' };
    throw new Problem('Request.Invalid', { detail: 'quarantine needs an output location: give output, or set DAGWRIGHT_DQ_OUTPUT', errors: [{ path: '/output', message: 'is required for local datasets' }] });
  }

  /**
   * What an evaluation touches, for its scope check: its pipeline (and the pipeline a given
   * `history_key` writes into: the part before its first `|`, as in the default keys), the S3
   * objects or prefixes and local paths it reads (dataset, references) and the root it writes
   * (quarantine).
   */
  touches(input: EvaluationInput): Need[] {
    const needs: Need[] = [{ pipeline: input.pipeline }];
    if (input.history_key !== undefined) needs.push({ pipeline: input.history_key.split('|')[0] ?? '' });
    if (input.engine === 'glue') return needs;
    const plan = this.plan(input.dataset, '/dataset');
    const plans = [plan, ...Object.entries(input.references ?? {}).map(([alias, ref]) => this.plan(ref, `/references/${alias}`))];
    // A manifest: the manifest itself here; the objects it names once the job has read it.
    const reads = plans.flatMap((p) => (p.kind === 'listing' ? [p.at] : p.kind === 'objects' ? p.objects.map((o) => o.location) : manifestLocations(p.ref)));
    const s3Reads = reads.filter((l) => l.scheme === 's3');
    // A local location's key is its real path (parseLocation resolved it against the allow-list).
    needs.push({ s3Read: s3Reads.map((l) => ({ bucket: l.bucket, key: l.key })), fileRead: reads.filter((l) => l.scheme === 'file').map((l) => l.key) });
    if (input.on_violation === 'quarantine') {
      const root = this.outputRoot(input, plan);
      if (root.scheme === 's3') needs.push({ s3Write: [{ bucket: root.bucket, key: root.key === '' ? '' : `${root.key.replace(/\/+$/, '')}/` }] });
      else needs.push({ fileWrite: [root.key] });
    }
    return needs;
  }

  /** Refuses (`403 Scope.*`) an evaluation outside the caller's scopes. */
  requireScopes(input: EvaluationInput, access: Access): void {
    for (const need of this.touches(input)) access.require(need);
  }

  /** Checks made before a job is created: the ruleset parses, the dataset and outputs are well-formed. */
  async admit(input: EvaluationInput): Promise<void> {
    const { text } = await this.rulesetText(input);
    await this.checkRuleset(text, '/ruleset', this.evaluatorChecks(input));
    limitsFor(input.limits, this.maxLimits);
    if (input.engine === 'glue') {
      if (input.glue === undefined) throw new Problem('Request.Invalid', { detail: 'engine glue needs glue: {database, table}', errors: [{ path: '/glue', message: 'is required with engine glue' }] });
      if (input.on_violation === 'quarantine') throw new Problem('Request.Invalid', { detail: 'quarantine needs row-level results, which the Glue engine does not return here', errors: [{ path: '/on_violation', message: 'must be fail or warn with engine glue' }] });
      if (this.o.glue === undefined) throw new Problem('Request.Invalid', { detail: 'this service has no Glue client', errors: [{ path: '/engine', message: 'glue is not available' }] });
      return;
    }
    const plan = this.plan(input.dataset, '/dataset');
    for (const [alias, ref] of Object.entries(input.references ?? {})) this.plan(ref, `/references/${alias}`);
    if (input.on_violation === 'quarantine') this.outputRoot(input, plan);
  }

  async run(input: EvaluationInput, ctx: JobContext): Promise<EvaluationResult> {
    this.requireScopes(input, ctx.access);
    const { text, id: rulesetId } = await this.rulesetText(input);
    await this.checkRuleset(text, '/ruleset', this.evaluatorChecks(input));
    const limits = limitsFor(input.limits, this.maxLimits);
    const result = input.engine === 'glue' ? await this.runOnGlue(input, text, ctx) : await runLocally(this.localDeps(), input, text, rulesetId, limits, ctx);
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

  private localDeps(): LocalRunDeps {
    const o = this.o;
    return {
      store: o.store,
      storages: o.storages,
      workDir: o.workDir,
      scratch: this.scratch,
      ...(o.threads !== undefined ? { threads: o.threads } : {}),
      ...(o.faults !== undefined ? { faults: o.faults } : {}),
      ...(o.defaultBucket !== undefined ? { defaultBucket: o.defaultBucket } : {}),
      ...(o.writeManifest !== undefined ? { writeManifest: o.writeManifest } : {}),
      now: () => this.now(),
      plan: (dataset, at) => this.plan(dataset, at),
      outputRoot: (input, plan) => this.outputRoot(input, plan),
    };
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

}

function manifestLocations(ref: BatchManifestRef): Location[] {
  const place = parseManifestUri(ref.manifest);
  return place ? [{ scheme: 's3', bucket: place.bucket, key: place.key }] : [];
}
