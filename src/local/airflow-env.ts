/**
 * The environment every Airflow process of a local stack gets. It mirrors what Amazon MWAA
 * forces and defaults (shared/mwaa: essential and opinionated settings), with the local
 * simplifications said here: the LocalExecutor instead of Celery, and runs only when
 * triggered (`use_job_schedule = False`), so a stack never starts a pipeline on its own,
 * unless it runs with `schedule` (`local up --schedule`): then the scheduler runs time
 * schedules and asset triggers as MWAA's does.
 */
import type { AirflowTarget } from '../model/airflow-target.js';

export interface AirflowEnvOptions {
  readonly target: AirflowTarget;
  readonly exact: string;
  readonly venv: string;
  readonly home: string;
  readonly dagsFolder: string;
  readonly pluginsFolder: string;
  readonly metadataUrl: string;
  readonly apiPort: number;
  /** The worker's and the triggerer's log servers (fixed 8793 and 8794 by default). */
  readonly logServerPorts: readonly [number, number];
  /** Shared by every component: the Fernet key (and, on 3.x, the JWT secret). */
  readonly secret: string;
  /** `AIRFLOW_CONN_<ID>` values: each an Airflow connection URI or JSON. */
  readonly connections: ReadonlyMap<string, string>;
  readonly aws: NodeJS.ProcessEnv;
  /** DAGWRIGHT_* settings the operators read (e.g. DAGWRIGHT_RETRY_DELAY_SCALE). */
  readonly operatorSettings: NodeJS.ProcessEnv;
  readonly base: NodeJS.ProcessEnv;
  /** Whether the scheduler creates runs on its own (time schedules, asset updates). */
  readonly schedule: boolean;
}

export function airflowEnv(options: AirflowEnvOptions): NodeJS.ProcessEnv {
  const { target } = options;
  const env: NodeJS.ProcessEnv = { ...options.base };
  // Nothing of the caller's Python setup leaks in: the operators must come from the plugins
  // folder, as on MWAA, not from a checkout on PYTHONPATH.
  for (const name of Object.keys(env)) {
    if (name === 'PYTHONPATH' || name === 'VIRTUAL_ENV' || name.startsWith('AIRFLOW')) delete env[name];
  }
  Object.assign(env, options.aws, options.operatorSettings, {
    PATH: `${options.venv}/bin:${options.base.PATH ?? '/usr/bin:/bin'}`,
    AIRFLOW_HOME: options.home,
    AWS_EXECUTION_ENV: `Amazon_MWAA_${options.exact.replaceAll('.', '')}`,
    AIRFLOW__CORE__DAGS_FOLDER: options.dagsFolder,
    AIRFLOW__CORE__PLUGINS_FOLDER: options.pluginsFolder,
    AIRFLOW__CORE__EXECUTOR: 'LocalExecutor',
    AIRFLOW__CORE__PARALLELISM: '8',
    AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
    AIRFLOW__CORE__FERNET_KEY: options.secret,
    AIRFLOW__CORE__EXECUTE_TASKS_NEW_PYTHON_INTERPRETER: 'True',
    AIRFLOW__CORE__SENSITIVE_VAR_CONN_NAMES: 'proxy,proxies',
    AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: options.metadataUrl,
    AIRFLOW__LOGGING__BASE_LOG_FOLDER: `${options.home}/logs`,
    AIRFLOW__LOGGING__COLORED_CONSOLE_LOG: 'False',
    AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT: String(options.logServerPorts[0]),
    AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT: String(options.logServerPorts[1]),
    AIRFLOW__SCHEDULER__STANDALONE_DAG_PROCESSOR: 'True',
    AIRFLOW__SCHEDULER__SCHEDULE_AFTER_TASK_EXECUTION: 'False',
    AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE: options.schedule ? 'True' : 'False',
    AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT: '1800',
    // `local run` lists a run's task instances in one page (the default cap is 100).
    AIRFLOW__API__MAXIMUM_PAGE_LIMIT: '1000',
  });
  // Airflow 2 counts every interval of a task with an `sla` that has no successful run as a
  // miss: in a stack that runs only what it is asked to, one past-dated `local run` would
  // alert for every hour since. SLAs are checked only when the scheduler runs the schedule.
  if (target.major === 2) env.AIRFLOW__CORE__CHECK_SLAS = options.schedule ? 'True' : 'False';
  for (const [id, value] of options.connections) env[`AIRFLOW_CONN_${id.toUpperCase()}`] = value;
  if (target.major >= 3) {
    Object.assign(env, {
      AIRFLOW__API__HOST: '127.0.0.1',
      AIRFLOW__API__PORT: String(options.apiPort),
      AIRFLOW__API__WORKERS: '1',
      AIRFLOW__API_AUTH__JWT_SECRET: options.secret,
      AIRFLOW__EXECUTION_API__JWT_EXPIRATION_TIME: '86400',
      AIRFLOW__CORE__EXECUTION_API_SERVER_URL: `http://127.0.0.1:${options.apiPort}/execution/`,
      AIRFLOW__CORE__AUTH_MANAGER: 'airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager',
      AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS: 'True',
      AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL: '5',
    });
  } else {
    Object.assign(env, {
      AIRFLOW__WEBSERVER__WEB_SERVER_HOST: '127.0.0.1',
      AIRFLOW__WEBSERVER__WEB_SERVER_PORT: String(options.apiPort),
      AIRFLOW__WEBSERVER__WORKERS: '1',
      AIRFLOW__WEBSERVER__SECRET_KEY: options.secret,
      // Loopback only, no users to create: the REST API answers every local caller, as an
      // admin (the 3.x stack's simple auth manager does the same with all_admins).
      AIRFLOW__API__AUTH_BACKENDS: 'airflow.api.auth.backend.default',
      AIRFLOW__API__ENABLE_XCOM_DESERIALIZE_SUPPORT: 'True',
      AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL: '5',
    });
  }
  return env;
}

/**
 * Airflow 2's webserver reads Flask-AppBuilder settings from `$AIRFLOW_HOME/webserver_config.py`:
 * on a local stack an anonymous caller on loopback is an admin, as every caller is on 3.x.
 */
export function webserverConfig(target: AirflowTarget): string | undefined {
  if (target.major >= 3) return undefined;
  return '"""Written by dagwright local up: a loopback-only stack with no users."""\n\nAUTH_ROLE_PUBLIC = "Admin"\n';
}

/** The long-running components, as MWAA runs them (the UI/API server, then the rest). */
export function airflowComponents(target: AirflowTarget): readonly { readonly name: string; readonly args: readonly string[] }[] {
  const server = target.major >= 3 ? { name: 'api-server', args: ['api-server'] } : { name: 'webserver', args: ['webserver'] };
  return [server, { name: 'scheduler', args: ['scheduler'] }, { name: 'dag-processor', args: ['dag-processor'] }, { name: 'triggerer', args: ['triggerer'] }];
}
