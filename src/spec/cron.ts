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
