/**
 * Glue job bookmarks, unit-tested with aws-sdk-client-mock: the Glue API is
 * mocked at the SDK client (no AWS account or network). It checks the
 * commands we send and how we read Glue's answers and errors.
 */
import { EntityNotFoundException, GetJobBookmarkCommand, GlueClient, ResetJobBookmarkCommand, ThrottlingException } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GlueBookmarks } from './glue-bookmarks.js';

const glue = mockClient(GlueClient);

describe('GlueBookmarks (aws-sdk-client-mock)', () => {
  beforeEach(() => glue.reset());
  const client = () => new GlueBookmarks(new GlueClient({ region: 'eu-west-1' }));

  it('reads a job bookmark through GetJobBookmark and parses its document', async () => {
    glue.on(GetJobBookmarkCommand, { JobName: 'etl-orders' }).resolves({
      JobBookmarkEntry: { JobName: 'etl-orders', Version: 7, Run: 3, Attempt: 0, RunId: 'jr_3', PreviousRunId: 'jr_2', JobBookmark: '{"datasource0":{"timestamp":1}}' },
    });
    expect(await client().get('etl-orders')).toEqual({
      job_name: 'etl-orders',
      version: 7,
      run: 3,
      attempt: 0,
      run_id: 'jr_3',
      previous_run_id: 'jr_2',
      job_bookmark: { datasource0: { timestamp: 1 } },
    });
  });

  it('resets through ResetJobBookmark, with a run id to rewind', async () => {
    glue.on(ResetJobBookmarkCommand).resolves({ JobBookmarkEntry: { JobName: 'etl-orders', Version: 8, JobBookmark: 'not json' } });
    const out = await client().reset('etl-orders', 'jr_2');
    expect(glue.commandCalls(ResetJobBookmarkCommand)[0]?.args[0].input).toEqual({ JobName: 'etl-orders', RunId: 'jr_2' });
    expect(out).toMatchObject({ version: 8, job_bookmark: 'not json' });
    await client().reset('etl-orders');
    expect(glue.commandCalls(ResetJobBookmarkCommand)[1]?.args[0].input).toEqual({ JobName: 'etl-orders' });
  });

  it.each([
    ['an unknown job → Resource.NotFound', new EntityNotFoundException({ message: 'no such job', $metadata: {} }), 'Resource.NotFound', false],
    ['throttling → Service.DependencyUnavailable, retryable', new ThrottlingException({ message: 'slow down', $metadata: {} }), 'Service.DependencyUnavailable', true],
  ])('%s', async (_name, error, code, retryable) => {
    glue.on(GetJobBookmarkCommand).rejects(error);
    await expect(client().get('etl-orders')).rejects.toMatchObject({ code, retryable });
  });
});
