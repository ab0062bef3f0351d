import { CronExpressionParser } from 'cron-parser';

/** The presets Airflow accepts as a schedule, on every version dagwright targets. */
export const SCHEDULE_PRESETS = [
  '@once',
  '@continuous',
  '@hourly',
  '@daily',
  '@weekly',
  '@monthly',
  '@quarterly',
  '@yearly',
] as const;

export type SchedulePreset = (typeof SCHEDULE_PRESETS)[number];

/**
 * The cron expression of each periodic preset, as Airflow's own `cron_presets`
 * (airflow.utils.dates) maps them on every version. @once and @continuous are not periodic.
 */
export const PRESET_CRON: Readonly<Partial<Record<SchedulePreset, string>>> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@quarterly': '0 0 1 */3 *',
  '@yearly': '0 0 1 1 *',
};

/** How a periodic schedule's runs read time: Airflow 2.x's data intervals, or trigger times. */
export const SCHEDULE_SEMANTICS = ['interval', 'trigger'] as const;
export type ScheduleSemantics = (typeof SCHEDULE_SEMANTICS)[number];

export function isSchedulePreset(text: string): text is SchedulePreset {
  return (SCHEDULE_PRESETS as readonly string[]).includes(text);
}

/** Why a five-field cron expression is invalid, or undefined when it is valid. */
export function cronProblem(text: string): string | undefined {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `a cron schedule has 5 fields (minute hour day-of-month month day-of-week), this one has ${fields.length}`;
  }
  try {
    CronExpressionParser.parse(text, { strict: false });
    return undefined;
  } catch (error) {
    return `not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}
