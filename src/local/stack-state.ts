/**
 * One directory holds a local stack's whole state (`.dagwright/local` by default): Airflow's
 * home, the services' state, the warehouse file, every process's log, and `stack.json`,
 * which says what `up` started so that `status` and `down` touch exactly that.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PipelineModel } from '../model/types.js';
import type { ProcessRecord } from './processes.js';

export const DEFAULT_STATE_DIR = '.dagwright/local';

export interface StackState {
  readonly version: 1;
  readonly startedAt: string;
  readonly airflow: { readonly version: string; readonly exact: string; readonly major: 2 | 3; readonly venv: string; readonly url: string; readonly home: string; readonly metadata: string };
  readonly dagsFolder: string;
  readonly s3Endpoint: string;
  /** The token the Airflow connections carry to the services. */
  readonly serviceToken: string;
  readonly services: Readonly<Record<'bookmarks' | 'dq' | 'loader', string>>;
  /** Where the services keep their jobs and bookmarks: a folder of SQLite files, or a PostgreSQL URL. */
  readonly serviceState: string;
  readonly warehouse: { readonly kind: 'duckdb' | 'postgres'; readonly urls: Readonly<Record<string, string>> };
  /** PostgreSQL started by `up` (for the warehouse or Airflow's metadata), if any. */
  readonly postgres: { readonly url: string; readonly runtime: string } | undefined;
  readonly moto: { readonly runtime: string };
  readonly processes: readonly ProcessRecord[];
  /** The pipelines `up` generated, with what `local run` reports on for each task. */
  readonly pipelines: Readonly<Record<string, readonly PipelineTask[]>>;
}

export interface PipelineTask {
  readonly taskId: string;
  readonly type: string;
  /** The bookmark a bookmark or commit task moves. */
  readonly bookmark?: string;
}

/** What `local run` reports on, per DAG: each task's type, and the bookmark a bookmark or commit task moves. */
export function pipelineTasks(models: readonly PipelineModel[]): Record<string, PipelineTask[]> {
  return Object.fromEntries(
    models.map((model) => [
      model.dagId,
      model.tasks.map(({ taskId, details }) => (details.type === 'bookmark' || details.type === 'bookmark_commit' ? { taskId, type: details.type, bookmark: details.bookmark } : { taskId, type: details.type })),
    ]),
  );
}

export function stackPaths(stateDir: string) {
  const root = resolve(stateDir);
  return {
    root,
    stateFile: join(root, 'stack.json'),
    logs: join(root, 'logs'),
    airflowHome: join(root, 'airflow'),
    plugins: join(root, 'airflow', 'plugins'),
    services: join(root, 'services'),
    run: join(root, 'run'),
    warehouse: join(root, 'warehouse'),
  };
}

export type StackPaths = ReturnType<typeof stackPaths>;

export function readStack(stateDir: string): StackState | undefined {
  const file = stackPaths(stateDir).stateFile;
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as StackState;
}

export function writeStack(stateDir: string, state: StackState): void {
  const paths = stackPaths(stateDir);
  // It holds the services' token and database URLs: readable by its owner only.
  mkdirSync(paths.root, { recursive: true, mode: 0o700 });
  const temporary = `${paths.stateFile}.tmp-${process.pid}`;
  writeFileSync(temporary, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  renameSync(temporary, paths.stateFile);
}
