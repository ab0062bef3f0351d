import { airflowEnv, type AirflowEnvOptions } from '../../src/local/airflow-env.js';
import { findAirflowTarget } from '../../src/model/airflow-target.js';

/** The environment a local stack gives Airflow `version`, with placeholder paths, ports and secret. */
export function placeholderAirflowEnv(version: string, overrides: Partial<Omit<AirflowEnvOptions, 'target'>> = {}): NodeJS.ProcessEnv {
  const target = findAirflowTarget(version);
  if (!target) throw new Error(`no Airflow target ${version}`);
  return airflowEnv({
    target,
    exact: `${version}.0`,
    venv: '/venv',
    home: '/home',
    dagsFolder: '/dags',
    pluginsFolder: '/plugins',
    metadataUrl: 'sqlite:////tmp/airflow.db',
    apiPort: 1,
    logServerPorts: [2, 3],
    secret: 'SECRET',
    connections: new Map(),
    aws: {},
    operatorSettings: {},
    schedule: false,
    base: {},
    ...overrides,
  });
}
