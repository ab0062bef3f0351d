import { GetJobBookmarkCommand, ResetJobBookmarkCommand, type GlueClient, type JobBookmarkEntry } from '@aws-sdk/client-glue';
import { Problem } from '../../kit/errors/problem.js';

/** A Glue job's bookmark, as the service shows it. */
export interface GlueBookmarkView {
  readonly job_name: string;
  readonly version: number | null;
  readonly run: number | null;
  readonly attempt: number | null;
  readonly run_id: string | null;
  readonly previous_run_id: string | null;
  /** Glue's own bookmark document, parsed when it is JSON. */
  readonly job_bookmark: unknown;
}

/**
 * Real Glue job bookmarks (for `glue_job` tasks), read and reset through
 * the Glue API: GetJobBookmark and ResetJobBookmark.
 */
export class GlueBookmarks {
  constructor(private readonly client: GlueClient) {}

  async get(jobName: string): Promise<GlueBookmarkView> {
    try {
      const out = await this.client.send(new GetJobBookmarkCommand({ JobName: jobName }));
      return view(jobName, out.JobBookmarkEntry);
    } catch (err) {
      throw glueProblem(err, jobName);
    }
  }

  /** Resets the job's bookmark, or (with `runId`) rewinds it to before that run. */
  async reset(jobName: string, runId?: string): Promise<GlueBookmarkView> {
    try {
      const out = await this.client.send(new ResetJobBookmarkCommand({ JobName: jobName, ...(runId ? { RunId: runId } : {}) }));
      return view(jobName, out.JobBookmarkEntry);
    } catch (err) {
      throw glueProblem(err, jobName);
    }
  }
}

function view(jobName: string, entry: JobBookmarkEntry | undefined): GlueBookmarkView {
  let bookmark: unknown = entry?.JobBookmark ?? null;
  if (typeof bookmark === 'string') {
    try {
      bookmark = JSON.parse(bookmark);
    } catch {
      // Keep Glue's string as it is.
    }
  }
  return {
    job_name: entry?.JobName ?? jobName,
    version: entry?.Version ?? null,
    run: entry?.Run ?? null,
    attempt: entry?.Attempt ?? null,
    run_id: entry?.RunId ?? null,
    previous_run_id: entry?.PreviousRunId ?? null,
    job_bookmark: bookmark,
  };
}

/** Glue errors as coded problems. */
export function glueProblem(err: unknown, jobName: string): Problem {
  const name = (err as { name?: string } | null)?.name ?? 'Error';
  switch (name) {
    case 'EntityNotFoundException':
      return new Problem('Resource.NotFound', { detail: `Glue has no job (or bookmark) named ${JSON.stringify(jobName)}`, cause: err });
    case 'InvalidInputException':
      return new Problem('Request.Invalid', { detail: `Glue refused the input for ${JSON.stringify(jobName)}`, cause: err });
    default:
      return new Problem('Service.DependencyUnavailable', { detail: `the Glue API failed (${name})`, cause: err });
  }
}
