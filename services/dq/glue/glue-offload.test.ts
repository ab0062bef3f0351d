/**
 * Offloading to AWS Glue Data Quality. Glue is not called: these tests mock
 * @aws-sdk/client-glue with aws-sdk-client-mock, and check the calls made and how the
 * result is mapped (there is no Glue emulator to run against).
 */
import {
  CreateDataQualityRulesetCommand,
  GetDataQualityResultCommand,
  GetDataQualityRulesetEvaluationRunCommand,
  GlueClient,
  StartDataQualityRulesetEvaluationRunCommand,
} from '@aws-sdk/client-glue';
import { Readable } from 'node:stream';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../kit/errors/problem.js';
import { startTestApp } from '../testing/dq-app.js';
import { GlueOffload } from './glue-offload.js';

const glue = mockClient(GlueClient);
afterEach(() => glue.reset());

const TEXT = 'Rules = [ RowCount > 0, IsComplete "id" ]';
const TABLE = { database: 'lake', table: 'orders' };

function happyPath(): void {
  glue.on(CreateDataQualityRulesetCommand).resolves({ Name: 'x' });
  glue.on(StartDataQualityRulesetEvaluationRunCommand).resolves({ RunId: 'dqrun-1' });
  glue
    .on(GetDataQualityRulesetEvaluationRunCommand)
    .resolvesOnce({ RunId: 'dqrun-1', Status: 'RUNNING' })
    .resolves({ RunId: 'dqrun-1', Status: 'SUCCEEDED', ResultIds: ['dqresult-1'] });
  glue.on(GetDataQualityResultCommand).resolves({
    ResultId: 'dqresult-1',
    Score: 0.5,
    RuleResults: [
      { Name: 'Rule_1', Description: 'RowCount > 0', Result: 'PASS', EvaluatedMetrics: { 'Dataset.*.RowCount': 1200 } },
      { Name: 'Rule_2', Description: 'IsComplete "id"', Result: 'FAIL', EvaluationMessage: 'Value: 0.98 does not meet the constraint requirement!', EvaluatedMetrics: { 'Column.id.Completeness': 0.98 } },
    ],
    AnalyzerResults: [{ Name: 'Analyzer_1', Description: 'Mean "x"', EvaluatedMetrics: { 'Column.x.Mean': 3 } }],
    AggregatedMetrics: { TotalRowsProcessed: 1200 },
  });
}

describe('GlueOffload (aws-sdk-client-mock)', () => {
  it('creates the ruleset, starts a run, polls it and maps the result', async () => {
    happyPath();
    const offload = new GlueOffload(new GlueClient({ region: 'us-east-1' }), { roleArn: 'arn:aws:iam::1:role/dq', pollMs: 1 });
    const r = await offload.evaluate(TEXT, TABLE, 'job_123');
    expect(r).toMatchObject({
      runId: 'dqrun-1',
      resultId: 'dqresult-1',
      score: 0.5,
      rowsIn: 1200,
      rules: [
        { name: 'Rule_1', rule: 'RowCount > 0', result: 'PASS', metrics: { 'Dataset.*.RowCount': 1200 } },
        { name: 'Rule_2', result: 'FAIL', message: 'Value: 0.98 does not meet the constraint requirement!' },
      ],
      analyzers: [{ name: 'Analyzer_1', metrics: { 'Column.x.Mean': 3 } }],
    });
    const created = glue.commandCalls(CreateDataQualityRulesetCommand)[0]!.args[0].input;
    expect(created).toMatchObject({ Ruleset: TEXT, Name: expect.stringMatching(/^dagwright-[0-9a-f]{24}$/) });
    const started = glue.commandCalls(StartDataQualityRulesetEvaluationRunCommand)[0]!.args[0].input;
    expect(started).toEqual({
      DataSource: { GlueTable: { DatabaseName: 'lake', TableName: 'orders' } },
      Role: 'arn:aws:iam::1:role/dq',
      RulesetNames: [created.Name],
      ClientToken: 'job_123',
    });
    expect(glue.commandCalls(GetDataQualityRulesetEvaluationRunCommand)).toHaveLength(2);
  });

  it('reuses a ruleset that already exists (same text, same name)', async () => {
    happyPath();
    glue.on(CreateDataQualityRulesetCommand).rejects(Object.assign(new Error('exists'), { name: 'AlreadyExistsException' }));
    const r = await new GlueOffload(new GlueClient({ region: 'us-east-1' }), { roleArn: 'r', pollMs: 1 }).evaluate(TEXT, TABLE, 'job_1');
    expect(r.score).toBe(0.5);
  });

  it.each([
    ['a failed run', () => glue.on(GetDataQualityRulesetEvaluationRunCommand).resolves({ Status: 'FAILED', ErrorString: 'table not found' }), 'Service.DependencyUnavailable'],
    ['Glue unreachable', () => glue.on(StartDataQualityRulesetEvaluationRunCommand).rejects(new Error('socket hang up')), 'Service.DependencyUnavailable'],
  ])('%s → %s', async (_name, arrange, code) => {
    happyPath();
    arrange();
    const err = await new GlueOffload(new GlueClient({ region: 'us-east-1' }), { roleArn: 'r', pollMs: 1 }).evaluate(TEXT, TABLE, 'j').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Problem);
    expect((err as Problem).code).toBe(code);
  });

  it('without a role: Request.Invalid', async () => {
    const err = await new GlueOffload(new GlueClient({ region: 'us-east-1' })).evaluate(TEXT, TABLE, 'j').catch((e: unknown) => e);
    expect((err as Problem).code).toBe('Request.Invalid');
  });

  it('through the service: engine glue, results in the same shape', async () => {
    happyPath();
    const t = await startTestApp({}, { glue: new GlueOffload(new GlueClient({ region: 'us-east-1' }), { roleArn: 'r', pollMs: 1 }) });
    try {
      const { job } = await t.evaluate({ ruleset: TEXT, dataset: 's3://lake-bucket/orders/', engine: 'glue', glue: TABLE, on_violation: 'warn', pipeline: 'p', run_id: 'r1' });
      expect(job).toMatchObject({ status: 'succeeded', result: { engine: 'glue', outcome: 'failed', score: 0.5, rows_in: 1200, rows_quarantined: 0, rules: [{ result: 'PASS' }, { result: 'FAIL' }] } });
      const { post } = await t.evaluate({ ruleset: TEXT, dataset: 's3://lake-bucket/orders/', engine: 'glue', glue: TABLE, on_violation: 'quarantine' });
      expect(post.status).toBe(400);
    } finally {
      await t.close();
    }
  });
});

describe("GlueOffload: Glue's non-finite metrics, through the SDK's own JSON reading", () => {
  // The last suite of this file: it puts GlueClient's own send back (mockClient replaced it).
  beforeAll(() => glue.restore());
  it('"NaN", "Infinity", "-Infinity" in EvaluatedMetrics come back as the same strings in the result', async () => {
    // No mock of the commands here: a request handler answers as Glue's awsJson1_1 does, so
    // the SDK's deserializer reads the strings (as numbers) and GlueOffload writes them back.
    const answers: Record<string, object> = {
      CreateDataQualityRuleset: { Name: 'x' },
      StartDataQualityRulesetEvaluationRun: { RunId: 'dqrun-1' },
      GetDataQualityRulesetEvaluationRun: { RunId: 'dqrun-1', Status: 'SUCCEEDED', ResultIds: ['dqresult-1'] },
      GetDataQualityResult: {
        ResultId: 'dqresult-1',
        Score: 0,
        RuleResults: [{ Name: 'Rule_1', Description: 'Mean "x" > 0', Result: 'FAIL', EvaluatedMetrics: { 'Column.x.Mean': 'NaN', 'Column.x.Sum': 'Infinity', 'Column.y.Sum': '-Infinity', 'Column.z.Sum': 1.5 } }],
        AnalyzerResults: [{ Name: 'Analyzer_1', Description: 'Mean "x"', EvaluatedMetrics: { 'Column.x.Mean': 'NaN' } }],
      },
    };
    const requestHandler = {
      handle: async (req: { headers: Record<string, string> }) => {
        const op = (req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
        const body = Buffer.from(JSON.stringify(answers[op] ?? {}));
        return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: Readable.from([body]) } };
      },
    };
    const client = new GlueClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, requestHandler: requestHandler as never });
    const r = await new GlueOffload(client, { roleArn: 'r', pollMs: 1 }).evaluate('Rules = [ Mean "x" > 0 ]', TABLE, 'job_nf');
    expect(r.rules[0]!.metrics).toEqual({ 'Column.x.Mean': 'NaN', 'Column.x.Sum': 'Infinity', 'Column.y.Sum': '-Infinity', 'Column.z.Sum': 1.5 });
    expect(r.analyzers[0]!.metrics).toEqual({ 'Column.x.Mean': 'NaN' });
  });
});
