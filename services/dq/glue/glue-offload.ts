/**
 * Offloading an evaluation to AWS Glue Data Quality, for data too large for one machine:
 * the ruleset is registered once per content (CreateDataQualityRuleset, named by its
 * hash), a run is started on the Glue table (StartDataQualityRulesetEvaluationRun, with the
 * job id as client token so a retried job does not start a second run), polled
 * (GetDataQualityRulesetEvaluationRun), and its result (GetDataQualityResult) mapped to
 * the evaluator's shape.
 */
import { createHash } from 'node:crypto';
import {
  CreateDataQualityRulesetCommand,
  GetDataQualityResultCommand,
  GetDataQualityRulesetEvaluationRunCommand,
  StartDataQualityRulesetEvaluationRunCommand,
  type GlueClient,
} from '@aws-sdk/client-glue';
import { Problem } from '../../kit/errors/problem.js';
import { encodeMetrics } from '@dagwright/dqdl';
import type { AnalyzerSummary, GlueTarget, RuleSummary } from '../domain/types.js';

export interface GlueOffloadOptions {
  /** The IAM role Glue assumes to read the table, unless the request names one. */
  readonly roleArn?: string;
  /** Between status polls; 15 s by default. */
  readonly pollMs?: number;
  /** Give up after this long; 2 hours by default. */
  readonly timeoutMs?: number;
}

export interface GlueEvaluation {
  readonly runId: string;
  readonly resultId: string;
  readonly score: number;
  readonly rowsIn: number | undefined;
  readonly rules: readonly RuleSummary[];
  readonly analyzers: readonly AnalyzerSummary[];
}

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR']);

function rulesetName(text: string): string {
  return `dagwright-${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
}

function dependency(err: unknown, what: string): Problem {
  if (err instanceof Problem) return err;
  return new Problem('Service.DependencyUnavailable', { detail: `AWS Glue ${what}: ${(err as Error).message ?? err}`, cause: err });
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

export class GlueOffload {
  constructor(
    private readonly glue: GlueClient,
    private readonly options: GlueOffloadOptions = {},
  ) {}

  async evaluate(rulesetText: string, target: GlueTarget, clientToken: string, signal?: AbortSignal): Promise<GlueEvaluation> {
    const role = target.role_arn ?? this.options.roleArn;
    if (role === undefined) throw new Problem('Request.Invalid', { detail: 'the Glue engine needs a role: give glue.role_arn or set DAGWRIGHT_DQ_GLUE_ROLE', errors: [{ path: '/glue/role_arn', message: 'is required' }] });
    const name = rulesetName(rulesetText);
    try {
      await this.glue.send(new CreateDataQualityRulesetCommand({ Name: name, Ruleset: rulesetText, Description: 'dagwright', ClientToken: name }));
    } catch (err) {
      if ((err as { name?: string }).name !== 'AlreadyExistsException') throw dependency(err, 'CreateDataQualityRuleset');
    }
    let runId: string;
    try {
      const started = await this.glue.send(
        new StartDataQualityRulesetEvaluationRunCommand({
          DataSource: { GlueTable: { DatabaseName: target.database, TableName: target.table, ...(target.catalog_id ? { CatalogId: target.catalog_id } : {}) } },
          Role: role,
          RulesetNames: [name],
          ClientToken: clientToken,
        }),
      );
      runId = started.RunId ?? '';
    } catch (err) {
      throw dependency(err, 'StartDataQualityRulesetEvaluationRun');
    }
    const deadline = Date.now() + (this.options.timeoutMs ?? 2 * 3_600_000);
    for (;;) {
      let run;
      try {
        run = await this.glue.send(new GetDataQualityRulesetEvaluationRunCommand({ RunId: runId }));
      } catch (err) {
        throw dependency(err, 'GetDataQualityRulesetEvaluationRun');
      }
      const status = run.Status ?? 'RUNNING';
      if (FINAL.has(status)) {
        if (status !== 'SUCCEEDED') throw new Problem('Service.DependencyUnavailable', { detail: `Glue Data Quality run ${runId} ended ${status}: ${run.ErrorString ?? ''}` });
        const resultId = run.ResultIds?.[0];
        if (resultId === undefined) throw new Problem('Service.DependencyUnavailable', { detail: `Glue Data Quality run ${runId} gave no result` });
        return this.result(runId, resultId);
      }
      if (Date.now() > deadline) throw new Problem('Service.DependencyUnavailable', { detail: `Glue Data Quality run ${runId} did not finish in time` });
      await sleep(this.options.pollMs ?? 15_000, signal);
    }
  }

  private async result(runId: string, resultId: string): Promise<GlueEvaluation> {
    let res;
    try {
      res = await this.glue.send(new GetDataQualityResultCommand({ ResultId: resultId }));
    } catch (err) {
      throw dependency(err, 'GetDataQualityResult');
    }
    // The SDK reads Glue's "NaN"/"Infinity" doubles as numbers; the result writes them back as strings.
    const rules: RuleSummary[] = (res.RuleResults ?? []).map((r, i) => ({
      name: r.Name ?? `Rule_${i}`,
      rule: r.Description ?? '',
      result: r.Result === 'PASS' || r.Result === 'FAIL' ? r.Result : 'ERROR',
      ...(r.EvaluationMessage ? { message: r.EvaluationMessage } : {}),
      metrics: encodeMetrics(r.EvaluatedMetrics ?? {}),
      ...(r.Labels ? { labels: { ...r.Labels } } : {}),
    }));
    const analyzers = (res.AnalyzerResults ?? []).map((a, i) => ({
      name: a.Name ?? `Analyzer_${i}`,
      analyzer: a.Description ?? '',
      metrics: encodeMetrics(a.EvaluatedMetrics ?? {}),
      ...(a.EvaluationMessage ? { message: a.EvaluationMessage } : {}),
    }));
    const passed = rules.filter((r) => r.result === 'PASS').length;
    return {
      runId,
      resultId,
      score: res.Score ?? (rules.length === 0 ? 1 : passed / rules.length),
      rowsIn: res.AggregatedMetrics?.TotalRowsProcessed,
      rules,
      analyzers,
    };
  }
}
