/**
 * The Airflow versions dagwright generates for, and what each can express. Code branches on
 * these capabilities, never on the version string.
 */
export interface AirflowTarget {
  /** major.minor, as written in specs and on the command line. */
  readonly version: string;
  readonly major: 2 | 3;
  /** Task-level `sla` and the DAG's `sla_miss_callback` (removed in Airflow 3.0). */
  readonly supportsSla: boolean;
  /** DAG-level deadline alerts (`DeadlineAlert`, Airflow 3.1+). */
  readonly supportsDeadlineAlerts: boolean;
  /** `DeltaTriggerTimetable`, a fixed-delta schedule with trigger semantics (Airflow 2.11+). */
  readonly supportsDeltaTriggerTimetable: boolean;
  /**
   * GlueJobOperator's `waiter_delay` / `waiter_max_attempts`, which bound its deferred wait
   * (Amazon provider 9.12+: the 3.0 and 3.1 locks). 9.0 (2.10) and 9.8 (2.11) poll until the run ends.
   */
  readonly glueJobWaiter: boolean;
  /**
   * Whether a run that assets trigger has a logical date (and so `ds`, `ts`, the data interval,
   * ... in its template context). Airflow 3 creates such runs with logical_date=None.
   */
  readonly assetRunsHaveLogicalDate: boolean;
  /** Whether a DagRun has `run_after` (the time it was due or triggered: Airflow 3). */
  readonly dagRunHasRunAfter: boolean;
  /** Where core classes come from. */
  readonly imports: {
    readonly dag: string;
    readonly taskGroup: string;
    readonly asset: { readonly module: string; readonly name: 'Dataset' | 'Asset' };
    /** DatasetAll / DatasetAny on 2.x, AssetAll / AssetAny on 3.x, from the asset module. */
    readonly assetAll: 'DatasetAll' | 'AssetAll';
    readonly assetAny: 'DatasetAny' | 'AssetAny';
    /** The assets-or-time timetable, and the keyword its condition goes in. */
    readonly assetOrTime: {
      readonly module: string;
      readonly name: 'DatasetOrTimeSchedule' | 'AssetOrTimeSchedule';
      readonly conditionKeyword: 'datasets' | 'assets';
    };
    readonly bash: string;
    readonly python: string;
    readonly empty: string;
    /** CronDataIntervalTimetable, DeltaDataIntervalTimetable. */
    readonly intervalTimetables: string;
    /** CronTriggerTimetable, DeltaTriggerTimetable. */
    readonly triggerTimetables: string;
  };
}

const AIRFLOW_2 = {
  major: 2,
  supportsSla: true,
  supportsDeadlineAlerts: false,
  supportsDeltaTriggerTimetable: true,
  glueJobWaiter: false,
  assetRunsHaveLogicalDate: true,
  dagRunHasRunAfter: false,
  imports: {
    dag: 'airflow',
    taskGroup: 'airflow.utils.task_group',
    asset: { module: 'airflow.datasets', name: 'Dataset' },
    assetAll: 'DatasetAll',
    assetAny: 'DatasetAny',
    assetOrTime: { module: 'airflow.timetables.datasets', name: 'DatasetOrTimeSchedule', conditionKeyword: 'datasets' },
    bash: 'airflow.operators.bash',
    python: 'airflow.operators.python',
    empty: 'airflow.operators.empty',
    intervalTimetables: 'airflow.timetables.interval',
    triggerTimetables: 'airflow.timetables.trigger',
  },
} as const;

const AIRFLOW_3 = {
  major: 3,
  supportsSla: false,
  supportsDeadlineAlerts: false,
  supportsDeltaTriggerTimetable: true,
  glueJobWaiter: true,
  assetRunsHaveLogicalDate: false,
  dagRunHasRunAfter: true,
  imports: {
    dag: 'airflow.sdk',
    taskGroup: 'airflow.sdk',
    asset: { module: 'airflow.sdk', name: 'Asset' },
    assetAll: 'AssetAll',
    assetAny: 'AssetAny',
    // Like the other timetables, from Airflow core on 3.0 and 3.1 alike.
    assetOrTime: { module: 'airflow.timetables.assets', name: 'AssetOrTimeSchedule', conditionKeyword: 'assets' },
    bash: 'airflow.providers.standard.operators.bash',
    python: 'airflow.providers.standard.operators.python',
    empty: 'airflow.providers.standard.operators.empty',
    // The task SDK has no timetables: DAG files import Airflow core's, on 3.0 and 3.1 alike.
    intervalTimetables: 'airflow.timetables.interval',
    triggerTimetables: 'airflow.timetables.trigger',
  },
} as const;

export const AIRFLOW_TARGETS: readonly AirflowTarget[] = [
  { version: '2.10', ...AIRFLOW_2, supportsDeltaTriggerTimetable: false },
  { version: '2.11', ...AIRFLOW_2 },
  { version: '3.0', ...AIRFLOW_3 },
  { version: '3.1', ...AIRFLOW_3, supportsDeadlineAlerts: true },
];

export const DEFAULT_AIRFLOW_VERSION = '2.10';

export function findAirflowTarget(version: string): AirflowTarget | undefined {
  return AIRFLOW_TARGETS.find((target) => target.version === version);
}
