import { describe, expect, it } from 'vitest';
import { placeholderAirflowEnv } from '../helpers/airflow-env.js';

const envFor = (version: string, schedule: boolean) => placeholderAirflowEnv(version, { schedule });

describe('a local stack runs only what it is asked to, unless --schedule', () => {
  it.each(['2.10', '3.0', '3.1'])('Airflow %s: the scheduler creates no runs of its own without --schedule, and does with it', (version) => {
    expect(envFor(version, false)['AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE']).toBe('False');
    expect(envFor(version, true)['AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE']).toBe('True');
  });

  it('Airflow 2 checks SLAs only with --schedule: without it, every interval nobody ran would be a miss, and one past-dated run would alert for every hour since', () => {
    expect(envFor('2.10', false)['AIRFLOW__CORE__CHECK_SLAS']).toBe('False');
    expect(envFor('2.10', true)['AIRFLOW__CORE__CHECK_SLAS']).toBe('True');
    expect(envFor('3.1', false)['AIRFLOW__CORE__CHECK_SLAS']).toBeUndefined();
  });
});
