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
  /** Known DAGs whose last parse is older than the upload: what the environment knows of them is their previous version. */
  readonly notReparsed: readonly string[];
}

interface ImportErrorEntry {
  readonly filename?: string;
  readonly stack_trace?: string;
  /** When the error was recorded (ISO); an error older than the upload is about the previous file. */
  readonly timestamp?: string;
}

/** True when `iso` is a time before `since` (an absent or unreadable time is not). */
function before(iso: string | undefined, since: Date | undefined): boolean {
  if (iso === undefined || since === undefined) return false;
  const at = Date.parse(iso);
  return !Number.isNaN(at) && at < since.getTime();
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

export async function importErrors(target: RestApiTarget, files: readonly string[], uploadedAt?: Date): Promise<ImportProblem[]> {
  const problems: ImportProblem[] = [];
  for (let offset = 0; ; ) {
    const answer = await invokeRestApi(target, { method: 'GET', path: '/importErrors', query: { limit: 100, offset } });
    if (answer.status !== 200) throw new Error(`GET /importErrors answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const page = answer.body as { import_errors?: ImportErrorEntry[]; total_entries?: number };
    const entries = page.import_errors ?? [];
    for (const entry of entries) {
      const file = files.find((f) => entry.filename === f || entry.filename?.endsWith(`/${f}`));
      if (file && !before(entry.timestamp, uploadedAt)) problems.push({ file, line: lineIn(entry.stack_trace ?? '', file), message: lastLine(entry.stack_trace ?? '(no stack trace)') });
    }
    offset += entries.length;
    if (entries.length === 0 || offset >= (page.total_entries ?? 0)) break;
  }
  return problems;
}

/** Which deployed DAGs the environment does not know, and which it has not parsed since `uploadedAt`. */
export async function dagStates(target: RestApiTarget, dagIds: readonly string[], uploadedAt?: Date): Promise<{ unknown: string[]; notReparsed: string[] }> {
  const unknown: string[] = [];
  const notReparsed: string[] = [];
  for (const dagId of dagIds) {
    const answer = await invokeRestApi(target, { method: 'GET', path: `/dags/${encodeURIComponent(dagId)}` });
    if (answer.status === 404) unknown.push(dagId);
    else if (answer.status !== 200) throw new Error(`GET /dags/${dagId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    else if (before((answer.body as { last_parsed_time?: string }).last_parsed_time, uploadedAt)) notReparsed.push(dagId);
  }
  return { unknown, notReparsed };
}

export interface VerifyOptions {
  /** Files relative to the DAG folder, e.g. orders.py. */
  readonly files: readonly string[];
  readonly dagIds: readonly string[];
  /** Ask again until every DAG is known and parsed since the upload, or this passes (MWAA parses new files within about a minute); default 0: ask once. */
  readonly settleMs?: number;
  /** When the upload began: import errors recorded and parses made before it are about the previous files. */
  readonly uploadedAt?: Date;
  readonly pollMs?: number;
}

export async function verifyDeployed(target: RestApiTarget, options: VerifyOptions): Promise<Verification> {
  const deadline = Date.now() + (options.settleMs ?? 0);
  for (;;) {
    const errors = await importErrors(target, options.files, options.uploadedAt);
    const { unknown, notReparsed } = await dagStates(target, options.dagIds, options.uploadedAt);
    const settled = unknown.length === 0 && notReparsed.length === 0;
    if (errors.length > 0 || settled || Date.now() >= deadline) return { importErrors: errors, unknownDags: unknown, notReparsed };
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
