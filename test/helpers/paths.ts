import { fileURLToPath } from 'node:url';

/** The repository root, for tests that read fixtures or run the CLI. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const AIRFLOW_TEST_TARGETS = ['2.10', '2.11', '3.0', '3.1'] as const;

/** An environment-provided tool is required in CI; locally its tests may be skipped. */
export function requiredInCi(variable: string): string | undefined {
  const value = process.env[variable];
  if (!value && process.env['CI']) throw new Error(`${variable} must be set in CI (scripts/test-all.sh sets it)`);
  return value;
}
