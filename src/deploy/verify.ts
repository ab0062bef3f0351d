/**
 * After the DAG files are in the bucket: ask the environment's Airflow (through InvokeRestApi)
 * for import errors in the deployed files and whether each deployed DAG is known, and trigger a
 * run when asked. The REST paths are the same on 2.x (/api/v1) and 3.x (/api/v2), which MWAA
 * maps; the body that triggers a run differs per major.
 */
import { invokeRestApi, type RestApiTarget } from './rest-api.js';

export interface ImportProblem {
  /** The deployed file, relative to the DAG folder. */
  readonly file: string;
  readonly line: number | undefined;
  readonly message: string;
}

export interface Verification {
  readonly importErrors: readonly ImportProblem[];
  /** Deployed DAG ids the environment does not know (yet). */
  readonly unknownDags: readonly string[];
}

interface ImportErrorEntry {
  readonly filename?: string;
  readonly stack_trace?: string;
}

/** The line in `file` a stack trace points at (the last frame in that file), if any. */
export function lineIn(stackTrace: string, file: string): number | undefined {
  let found: number | undefined;
  for (const match of stackTrace.matchAll(/File "([^"]+)", line (\d+)/g)) {
    if (match[1]?.endsWith(`/${file}`) || match[1] === file) found = Number(match[2]);
  }
  return found;
}

/** The last non-empty line of a stack trace: the error itself. */
function lastLine(stackTrace: string): string {
  return stackTrace.trim().split('\n').at(-1)?.trim() ?? stackTrace;
}

export async function importErrors(target: RestApiTarget, files: readonly string[]): Promise<ImportProblem[]> {
  const problems: ImportProblem[] = [];
  for (let offset = 0; ; ) {
    const answer = await invokeRestApi(target, { method: 'GET', path: '/importErrors', query: { limit: 100, offset } });
    if (answer.status !== 200) throw new Error(`GET /importErrors answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const page = answer.body as { import_errors?: ImportErrorEntry[]; total_entries?: number };
    const entries = page.import_errors ?? [];
    for (const entry of entries) {
      const file = files.find((f) => entry.filename === f || entry.filename?.endsWith(`/${f}`));
      if (file) problems.push({ file, line: lineIn(entry.stack_trace ?? '', file), message: lastLine(entry.stack_trace ?? '(no stack trace)') });
    }
    offset += entries.length;
    if (entries.length === 0 || offset >= (page.total_entries ?? 0)) break;
  }
  return problems;
}

export async function unknownDags(target: RestApiTarget, dagIds: readonly string[]): Promise<string[]> {
  const unknown: string[] = [];
  for (const dagId of dagIds) {
    const answer = await invokeRestApi(target, { method: 'GET', path: `/dags/${encodeURIComponent(dagId)}` });
    if (answer.status === 404) unknown.push(dagId);
    else if (answer.status !== 200) throw new Error(`GET /dags/${dagId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return unknown;
}

export interface VerifyOptions {
  /** Files relative to the DAG folder, e.g. orders.py. */
  readonly files: readonly string[];
  readonly dagIds: readonly string[];
  /** Ask again until every DAG is known or this passes (MWAA parses new files within about a minute); default 0: ask once. */
  readonly settleMs?: number;
  readonly pollMs?: number;
}

export async function verifyDeployed(target: RestApiTarget, options: VerifyOptions): Promise<Verification> {
  const deadline = Date.now() + (options.settleMs ?? 0);
  for (;;) {
    const errors = await importErrors(target, options.files);
    const unknown = await unknownDags(target, options.dagIds);
    if (errors.length > 0 || unknown.length === 0 || Date.now() >= deadline) return { importErrors: errors, unknownDags: unknown };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 15_000));
  }
}

/** The body of POST /dags/{dag_id}/dagRuns: 3.x requires logical_date (null: now); 2.x takes none. */
export function triggerBody(airflowVersion: string): Record<string, unknown> {
  return Number(airflowVersion.split('.')[0]) >= 3 ? { logical_date: null, conf: {} } : { conf: {} };
}

export async function triggerRun(target: RestApiTarget, airflowVersion: string, dagId: string): Promise<string> {
  const answer = await invokeRestApi(target, { method: 'POST', path: `/dags/${encodeURIComponent(dagId)}/dagRuns`, body: triggerBody(airflowVersion) });
  if (answer.status !== 200) throw new Error(`triggering ${dagId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return (answer.body as { dag_run_id?: string }).dag_run_id ?? '(no dag_run_id)';
}
