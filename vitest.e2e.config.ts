import { defineConfig } from 'vitest/config';

/** The end-to-end suite: spec → DAG → Airflow's scheduler → services → warehouse (test/e2e). */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
