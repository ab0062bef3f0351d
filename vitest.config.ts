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
  },
});
