/** `dagwright local status`: what is running, where, and where its logs are. */
import { isAlive } from './processes.js';
import { readStack, stackPaths } from './stack-state.js';

export function statusLines(stateDir: string): { running: boolean; lines: string[] } {
  const stack = readStack(stateDir);
  if (!stack || stack.processes.length === 0) return { running: false, lines: [`no local stack running (state: ${stackPaths(stateDir).root})`] };
  const lines = [
    `local stack from ${stackPaths(stateDir).root}, started ${stack.startedAt}`,
    `  Airflow ${stack.airflow.exact}: ${stack.airflow.url}  (metadata ${stack.airflow.metadata})`,
    `  DAGs folder: ${stack.dagsFolder}`,
    `  S3/SNS (moto): ${stack.s3Endpoint}`,
    `  warehouse (${stack.warehouse.kind}): ${Object.entries(stack.warehouse.urls).map(([n, u]) => `${n} = ${u.replace(/\/\/[^@/]*@/, '//')}`).join(', ')}`,
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
