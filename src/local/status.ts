/** `dagwright local status`: what is running, where, and where its logs are (a native or a compose stack). */
import { existsSync, readFileSync } from 'node:fs';
import { withoutCredentials } from './redact.js';
import { AirflowApi } from './airflow-api.js';
import { composeStackFile, type ComposeStack } from './docker.js';
import { isAlive } from './processes.js';
import { readStack, stackPaths } from './stack-state.js';

export async function statusLines(stateDir: string): Promise<{ running: boolean; lines: string[] }> {
  const stack = readStack(stateDir);
  if (!stack || stack.processes.length === 0) {
    if (existsSync(composeStackFile(stateDir))) return composeStatus(JSON.parse(readFileSync(composeStackFile(stateDir), 'utf8')) as ComposeStack, stateDir);
    return { running: false, lines: [`no local stack running (state: ${stackPaths(stateDir).root})`] };
  }
  const lines = [
    `local stack from ${stackPaths(stateDir).root}, started ${stack.startedAt}`,
    `  Airflow ${stack.airflow.exact}: ${stack.airflow.url}  (metadata ${stack.airflow.metadata})`,
    `  DAGs folder: ${stack.dagsFolder}`,
    `  S3/SNS (moto): ${stack.s3Endpoint}`,
    `  warehouse (${stack.warehouse.kind}): ${Object.entries(stack.warehouse.urls).map(([n, u]) => `${n} = ${withoutCredentials(u)}`).join(', ')}`,
  ];
  let running = true;
  for (const p of stack.processes) {
    const alive = isAlive(p.pid);
    running &&= alive;
    const url = (stack.services as Record<string, string>)[p.name];
    lines.push(`  ${alive ? 'up  ' : 'DOWN'} ${p.name.padEnd(14)} pid ${String(p.pid).padEnd(8)}${url ? ` ${url}` : ''}  log ${p.log}`);
  }
  return { running, lines };
}

/** The compose stack: each part asked over HTTP (Airflow's components through its health endpoint). */
async function composeStatus(stack: ComposeStack, stateDir: string): Promise<{ running: boolean; lines: string[] }> {
  const health = await new AirflowApi(stack.airflowUrl, 3, 1).health().catch(() => undefined);
  const lines = [
    `compose stack from ${stackPaths(stateDir).root} (project ${stack.project}; \`docker compose -p ${stack.project} ps\` and \`logs\` show its containers)`,
    `  Airflow 3.0.6: ${stack.airflowUrl}`,
    `  DAGs folder: ${stack.composeDir}/dags`,
    `  S3/SNS (moto): ${stack.s3Endpoint}`,
    `  warehouse (postgres): analytics = ${withoutCredentials(stack.warehouseUrl)}`,
  ];
  let running = health !== undefined;
  for (const [name, healthy] of Object.entries(health ?? { airflow: false })) {
    running &&= healthy;
    lines.push(`  ${healthy ? 'up  ' : 'DOWN'} ${name}`);
  }
  for (const [name, url] of Object.entries(stack.services)) {
    const healthy = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok).catch(() => false);
    running &&= healthy;
    lines.push(`  ${healthy ? 'up  ' : 'DOWN'} ${name.padEnd(14)} ${url}`);
  }
  return { running, lines };
}
