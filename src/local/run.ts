/**
 * `dagwright local run <dag_id>`: triggers a real run through Airflow's scheduler (not
 * `dag.test()`), shows each task's state as it changes, and returns every task's outcome with
 * what the services did: rows passed and quarantined (and where), rows loaded, and where
 * each bookmark now stands.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AirflowApi, type DagRunState, type TaskInstanceState } from './airflow-api.js';
import { waitFor } from './processes.js';
import { readRunTarget, type RunTarget } from './run-target.js';
import type { PipelineTask } from './stack-state.js';

export interface RunOptions {
  readonly stateDir: string;
  readonly dagId: string;
  /** The logical date (ISO date or date-time, UTC); now when absent. */
  readonly date: string | undefined;
  readonly conf: Record<string, unknown>;
  readonly timeoutSeconds: number;
  readonly progress: (line: string) => void;
}

export interface TaskOutcome {
  readonly taskId: string;
  readonly mapIndex: number;
  readonly type: string | undefined;
  readonly state: string | null;
  readonly tries: number;
  readonly durationSeconds: number | null;
  /** The task's return value (the service's job result), when it pushed one. */
  readonly result: unknown;
}

export interface RunReport {
  readonly dagId: string;
  readonly runId: string;
  readonly logicalDate: string | null;
  readonly state: string;
  /** True when an existing, finished run at that logical date was cleared and ran again (a run still going is followed, not cleared). */
  readonly rerun: boolean;
  /** When `local run` started this run (or cleared it to run again). */
  readonly startedAt: string;
  readonly seconds: number;
  readonly tasks: readonly TaskOutcome[];
  /** Bookmark name → the bookmark as the service reports it after the run. */
  readonly bookmarks: Readonly<Record<string, unknown>>;
}

const FINISHED_RUN = new Set(['success', 'failed']);

/** `local run` with no stack running (a usage error, not a failed run). */
export class NoStackError extends Error {
  override readonly name = 'NoStackError';
}

export async function runPipeline(options: RunOptions): Promise<RunReport> {
  const stack = readRunTarget(options.stateDir);
  if (!stack) throw new NoStackError(`no local stack running in ${options.stateDir}: run \`dagwright local up\` (or \`local up --docker\`) first`);
  const api = new AirflowApi(stack.airflowUrl, stack.airflowMajor);
  const say = options.progress;
  const started = Date.now();

  await waitFor(`DAG ${options.dagId} in Airflow`, async () => (await api.dagExists(options.dagId)) || (await failOnImportError(api, options.dagId)), 120_000, 1000);
  await api.unpause(options.dagId);
  const logicalDate = toLogicalDate(options.date);
  // A run at that logical date already exists: run it again (cleared, through the scheduler),
  // as a user reruns a past hour from the UI.
  const existing = await api.runAt(options.dagId, logicalDate);
  let run: DagRunState;
  let rerun = false;
  if (existing && !FINISHED_RUN.has(existing.state)) {
    // Still queued or running (an earlier `local run` was interrupted): follow it, never clear it mid-way.
    run = existing;
    say(`${options.dagId} run ${run.runId} (logical date ${logicalDate}) is still ${existing.state}: following it, not clearing it`);
  } else if (existing) {
    await api.clearRun(options.dagId, existing.runId);
    run = existing;
    rerun = true;
    say(`cleared ${options.dagId} run ${run.runId} (logical date ${logicalDate}): it runs again`);
  } else {
    run = await api.trigger(options.dagId, { logicalDate, conf: options.conf });
    say(`triggered ${options.dagId} run ${run.runId} (logical date ${logicalDate})`);
  }

  const seen = new Map<string, string>();
  const deadline = started + options.timeoutSeconds * 1000;
  let state = run.state;
  for (;;) {
    const instances = await api.taskInstances(options.dagId, run.runId);
    for (const ti of instances) {
      const key = ti.mapIndex >= 0 ? `${ti.taskId}[${ti.mapIndex}]` : ti.taskId;
      const shown = `${ti.state ?? 'none'}#${ti.tryNumber}`;
      if (seen.get(key) !== shown && ti.state !== null) {
        seen.set(key, shown);
        say(`  ${elapsed(started)} ${key}: ${ti.state}${ti.tryNumber > 1 ? ` (try ${ti.tryNumber})` : ''}`);
      }
    }
    state = (await api.dagRun(options.dagId, run.runId)).state;
    if (FINISHED_RUN.has(state)) break;
    if (Date.now() > deadline) throw new Error(`run ${run.runId} still ${state} after ${options.timeoutSeconds} s; see \`dagwright local status\` for the logs`);
    await sleep(1000);
  }

  const tasks = await outcomes(api, stack, options.dagId, run.runId, await api.taskInstances(options.dagId, run.runId));
  const bookmarks = await bookmarkStates(stack, stack.pipelines[options.dagId] ?? []);
  return { dagId: options.dagId, runId: run.runId, logicalDate, state, rerun, startedAt: new Date(started).toISOString(), seconds: Math.round((Date.now() - started) / 100) / 10, tasks, bookmarks };
}

/** Throws Airflow's import error of the DAG's file, if it has one (so a wait for the DAG ends at once). */
export async function failOnImportError(api: AirflowApi, dagId: string): Promise<boolean> {
  const errors = await api.importErrors();
  const mine = errors.find((e) => e.filename.endsWith(`/${dagId}.py`));
  if (mine) throw new Error(`Airflow could not import ${mine.filename}:\n${mine.stackTrace}`);
  return false;
}

function toLogicalDate(date: string | undefined): string {
  if (date === undefined) return new Date().toISOString();
  const parsed = new Date(/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date);
  if (Number.isNaN(parsed.getTime())) throw new Error(`--date ${JSON.stringify(date)} is not a date (YYYY-MM-DD or an ISO date-time)`);
  return parsed.toISOString();
}

async function outcomes(api: AirflowApi, stack: RunTarget, dagId: string, runId: string, instances: readonly TaskInstanceState[]): Promise<TaskOutcome[]> {
  const types = new Map((stack.pipelines[dagId] ?? []).map((t) => [t.taskId, t.type]));
  const sorted = [...instances].sort((a, b) => a.taskId.localeCompare(b.taskId) || a.mapIndex - b.mapIndex);
  return Promise.all(
    sorted.map(async (ti) => ({
      taskId: ti.taskId,
      mapIndex: ti.mapIndex,
      type: types.get(ti.taskId),
      state: ti.state,
      tries: ti.tryNumber,
      durationSeconds: ti.durationSeconds,
      result: ti.state === 'success' ? await api.returnValue(dagId, runId, ti.taskId, ti.mapIndex) : undefined,
    })),
  );
}

async function bookmarkStates(stack: RunTarget, tasks: readonly PipelineTask[]): Promise<Record<string, unknown>> {
  const names = [...new Set(tasks.flatMap((t) => (t.type === 'bookmark' && t.bookmark ? [t.bookmark] : [])))];
  const entries = await Promise.all(
    names.map(async (name) => {
      const response = await fetch(`${stack.bookmarksUrl}/v1/bookmarks/${encodeURIComponent(name)}`, { headers: { authorization: `Bearer ${stack.serviceToken}` } });
      return [name, response.ok ? await response.json() : { status: `unknown (${response.status})` }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

function elapsed(since: number): string {
  const s = Math.round((Date.now() - since) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
