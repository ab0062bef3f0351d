/** `--airflow` is checked as a usage error (exit 2), not reported against every spec at 1:1; MWAA's own version strings are taken. */
import { describe, expect, it } from 'vitest';
import { airflowVersion } from '../../src/cli/program.js';

describe('--airflow', () => {
  it.each([
    ['2.10', '2.10'],
    ['2.10.3', '2.10'],
    ['3.0.6', '3.0'],
    ['3.1', '3.1'],
  ])('%s targets Airflow %s', (given, want) => expect(airflowVersion(given)).toBe(want));

  it.each(['2.9', '3', '4.0.1', 'latest', ''])('%j is a usage error naming the versions', (given) => {
    expect(() => airflowVersion(given)).toThrow(/is not a version dagwright targets: choose one of 2\.10, 2\.11, 3\.0, 3\.1/);
  });
});
