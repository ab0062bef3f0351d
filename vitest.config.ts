import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'services/**/*.test.ts', 'test/**/*.test.ts'],
    // The end-to-end suite starts a whole local stack per Airflow version: scripts/test-all.sh runs
    // it on its own (vitest.e2e.config.ts), once per version.
    exclude: ['**/node_modules/**', 'test/e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Four forks on two cores: the slowest files mostly wait (processes killed and restarted,
    // services draining, retries backing off), so more of them overlap. Measured on this
    // 2-core machine: 740 s with the default (2) → 430 s with 4, the same 2806 tests passing.
    maxWorkers: 4,
  },
});
