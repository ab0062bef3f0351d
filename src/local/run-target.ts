/**
 * The stack `local run` and `local status` talk to in a state folder: the native stack `up`
 * started (stack.json), or the compose stack `up --docker` started (compose-stack.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { composeStackFile, type ComposeStack } from './docker.js';
import { readStack, type PipelineTask } from './stack-state.js';

export interface RunTarget {
  readonly kind: 'native' | 'docker';
  readonly airflowUrl: string;
  readonly airflowMajor: 2 | 3;
  readonly bookmarksUrl: string;
  readonly serviceToken: string;
  readonly pipelines: Readonly<Record<string, readonly PipelineTask[]>>;
}

export function readRunTarget(stateDir: string): RunTarget | undefined {
  const stack = readStack(stateDir);
  if (stack && stack.processes.length > 0) {
    return { kind: 'native', airflowUrl: stack.airflow.url, airflowMajor: stack.airflow.major, bookmarksUrl: stack.services.bookmarks, serviceToken: stack.serviceToken, pipelines: stack.pipelines };
  }
  const composeFile = composeStackFile(stateDir);
  if (!existsSync(composeFile)) return undefined;
  const compose = JSON.parse(readFileSync(composeFile, 'utf8')) as ComposeStack;
  // docker-compose.yml runs Airflow 3.0.6. A file from before the pipelines' tasks were kept names only the DAG ids.
  const pipelines = Array.isArray(compose.pipelines) ? Object.fromEntries((compose.pipelines as string[]).map((id) => [id, []])) : compose.pipelines;
  return { kind: 'docker', airflowUrl: compose.airflowUrl, airflowMajor: 3, bookmarksUrl: compose.services.bookmarks, serviceToken: compose.serviceToken, pipelines };
}
