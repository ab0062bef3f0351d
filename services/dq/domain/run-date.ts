/** The `dt=` partition of a run: the request's, the date in the Airflow run id, or today. */
export function runDate(runId: string, given: string | undefined, today: string): string {
  if (given !== undefined) return given;
  const m = /(\d{4})-(\d{2})-(\d{2})/.exec(runId);
  return m === null ? today : `${m[1]}-${m[2]}-${m[3]}`;
}

export const utcDate = (d: Date): string => d.toISOString().slice(0, 10);
