/**
 * Airflow's REST API, as a local stack uses it: the same calls on 2.x (`/api/v1`, the
 * webserver, an open auth backend on loopback) and 3.x (`/api/v2`, the api-server, a token
 * from the simple auth manager with every user an admin).
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface TaskInstanceState {
  readonly taskId: string;
  readonly mapIndex: number;
  readonly state: string | null;
  readonly tryNumber: number;
  readonly durationSeconds: number | null;
}

export interface DagRunState {
  readonly runId: string;
  readonly state: string;
  readonly logicalDate: string | null;
}

export class AirflowApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AirflowApiError';
  }
}

export class AirflowApi {
  private token: string | undefined;
  private readonly prefix: string;

  constructor(
    private readonly baseUrl: string,
    private readonly major: 2 | 3,
    /** Tries of a repeatable call, and the first wait between them (doubling). */
    private readonly attempts = 5,
    private readonly retryDelayMs = 1_000,
  ) {
    this.prefix = major >= 3 ? '/api/v2' : '/api/v1';
  }

  /** The components' health, as `name → healthy?` (false for a component never seen). */
  async health(): Promise<Record<string, boolean>> {
    const body = (await this.request('GET', this.major >= 3 ? '/api/v2/monitor/health' : '/health', undefined, false)) as Record<string, { status?: string | null } | null>;
    const healthy = (name: string): boolean => body[name]?.status === 'healthy';
    return { metadatabase: healthy('metadatabase'), scheduler: healthy('scheduler'), triggerer: healthy('triggerer'), 'dag-processor': healthy('dag_processor') };
  }

  async dagExists(dagId: string): Promise<boolean> {
    try {
      await this.request('GET', `${this.prefix}/dags/${encodeURIComponent(dagId)}`);
      return true;
    } catch (error) {
      if (error instanceof AirflowApiError && error.status === 404) return false;
      throw error;
    }
  }

  async importErrors(): Promise<{ filename: string; stackTrace: string }[]> {
    const body = (await this.request('GET', `${this.prefix}/importErrors?limit=100`)) as { import_errors: { filename: string; stack_trace: string }[] };
    return body.import_errors.map((e) => ({ filename: e.filename, stackTrace: e.stack_trace }));
  }

  async unpause(dagId: string): Promise<void> {
    const mask = this.major >= 3 ? '' : '?update_mask=is_paused';
    await this.request('PATCH', `${this.prefix}/dags/${encodeURIComponent(dagId)}${mask}`, { is_paused: false });
  }

  async trigger(dagId: string, options: { logicalDate: string; conf: Record<string, unknown>; runId?: string }): Promise<DagRunState> {
    const body = { logical_date: options.logicalDate, conf: options.conf, ...(options.runId ? { dag_run_id: options.runId } : {}) };
    return toRun(await this.request('POST', `${this.prefix}/dags/${encodeURIComponent(dagId)}/dagRuns`, body));
  }

  /** The run with exactly this logical date, if there is one. */
  async runAt(dagId: string, logicalDate: string): Promise<DagRunState | undefined> {
    const field = this.major >= 3 ? 'logical_date' : 'execution_date';
    const at = encodeURIComponent(logicalDate);
    const body = (await this.request('GET', `${this.prefix}/dags/${encodeURIComponent(dagId)}/dagRuns?${field}_gte=${at}&${field}_lte=${at}`)) as { dag_runs: unknown[] };
    return body.dag_runs[0] === undefined ? undefined : toRun(body.dag_runs[0]);
  }

  /** Clears every task of a run (and resets the run), so the scheduler runs it again. */
  async clearRun(dagId: string, runId: string): Promise<void> {
    const body = { dag_run_id: runId, dry_run: false, only_failed: false, reset_dag_runs: true };
    await this.request('POST', `${this.prefix}/dags/${encodeURIComponent(dagId)}/clearTaskInstances`, body);
  }

  async dagRun(dagId: string, runId: string): Promise<DagRunState> {
    return toRun(await this.request('GET', `${this.runPath(dagId, runId)}`));
  }

  async taskInstances(dagId: string, runId: string): Promise<TaskInstanceState[]> {
    const body = (await this.request('GET', `${this.runPath(dagId, runId)}/taskInstances?limit=1000`)) as { task_instances: Record<string, unknown>[] };
    return body.task_instances.map((ti) => ({
      taskId: String(ti['task_id']),
      mapIndex: Number(ti['map_index'] ?? -1),
      state: (ti['state'] as string | null) ?? null,
      tryNumber: Number(ti['try_number'] ?? 0),
      durationSeconds: typeof ti['duration'] === 'number' ? ti['duration'] : null,
    }));
  }

  /** A task's return value, or undefined when it pushed none. */
  async returnValue(dagId: string, runId: string, taskId: string, mapIndex = -1): Promise<unknown> {
    const query = this.major >= 3 ? `?map_index=${mapIndex}` : `?map_index=${mapIndex}&deserialize=true&stringify=false`;
    try {
      const body = (await this.request('GET', `${this.runPath(dagId, runId)}/taskInstances/${encodeURIComponent(taskId)}/xcomEntries/return_value${query}`)) as { value: unknown };
      return body.value;
    } catch (error) {
      if (error instanceof AirflowApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  private runPath(dagId: string, runId: string): string {
    return `${this.prefix}/dags/${encodeURIComponent(dagId)}/dagRuns/${encodeURIComponent(runId)}`;
  }

  private async bearer(): Promise<string | undefined> {
    if (this.major < 3) return undefined;
    if (this.token === undefined) {
      const body = (await this.request('GET', '/auth/token', undefined, false)) as { access_token: string };
      this.token = body.access_token;
    }
    return this.token;
  }

  /**
   * One call. A request that may be repeated (every one but a trigger, which would make a
   * second run) is tried again after a transient failure: the connection refused or reset, a
   * timeout, or 502/503/504 (an api-server restarting, a busy SQLite). On 3.x an expired
   * token (401) is fetched again once.
   */
  private async request(method: string, path: string, body?: unknown, authenticate = true): Promise<unknown> {
    const repeatable = method !== 'POST' || !path.endsWith('/dagRuns');
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(method, path, body, authenticate);
      } catch (error) {
        if (error instanceof AirflowApiError && error.status === 401 && authenticate && this.token !== undefined) {
          this.token = undefined;
          return this.send(method, path, body, authenticate);
        }
        if (!repeatable || attempt >= this.attempts || !transient(error)) throw error;
        await sleep(this.retryDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  private async send(method: string, path: string, body: unknown, authenticate: boolean): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = authenticate ? await this.bearer() : undefined;
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      signal: AbortSignal.timeout(30_000),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new AirflowApiError(response.status, `${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
    return text === '' ? undefined : JSON.parse(text);
  }
}

const TRANSIENT_STATUS: ReadonlySet<number> = new Set([502, 503, 504]);

/** A failure that may pass: no answer at all (refused, reset, timed out), or a gateway/unavailable status. */
function transient(error: unknown): boolean {
  if (error instanceof AirflowApiError) return TRANSIENT_STATUS.has(error.status);
  return error instanceof Error && (error.name === 'TypeError' || error.name === 'TimeoutError' || error.name === 'AbortError');
}

function toRun(value: unknown): DagRunState {
  const run = value as Record<string, unknown>;
  return { runId: String(run['dag_run_id']), state: String(run['state']), logicalDate: (run['logical_date'] as string | null) ?? null };
}
