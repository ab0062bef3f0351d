/** The Airflow versions a local stack can run: each from the project's pinned lock. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AIRFLOW_TARGETS, findAirflowTarget, type AirflowTarget } from '../model/airflow-target.js';

export interface LocalAirflow {
  readonly target: AirflowTarget;
  /** The lock's name, e.g. `airflow-3.0.6` (python/requirements/<lock>.lock). */
  readonly lock: string;
  /** The exact version the lock pins, e.g. `3.0.6`. */
  readonly exact: string;
}

export function localAirflow(repoRoot: string, version: string): LocalAirflow {
  const target = findAirflowTarget(version);
  if (!target) throw new Error(`unknown Airflow version ${JSON.stringify(version)}: choose one of ${AIRFLOW_TARGETS.map((t) => t.version).join(', ')}`);
  const locks = readdirSync(join(repoRoot, 'python', 'requirements'))
    .filter((file) => file.startsWith(`airflow-${target.version}.`) && file.endsWith('.lock'))
    .map((file) => file.slice(0, -'.lock'.length))
    .sort();
  const lock = locks.at(-1);
  if (lock === undefined) throw new Error(`no pinned lock for Airflow ${target.version} in python/requirements`);
  return { target, lock, exact: lock.slice('airflow-'.length) };
}

/**
 * Airflow's own metadata: SQLite where the version runs a parallel executor on it (3.x),
 * PostgreSQL where it does not (2.x refuses SQLite with the LocalExecutor).
 */
export function metadataBackend(target: AirflowTarget): 'sqlite' | 'postgres' {
  return target.major >= 3 ? 'sqlite' : 'postgres';
}
