import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Three tiers, told apart by the file name (README.md, "Tests in tiers"):
 *   *.integration.test.ts  needs what scripts/test-all.sh starts or builds: PostgreSQL (DAGWRIGHT_PG_URL,
 *                          or a cluster of its own from Debian's binaries), moto (DAGWRIGHT_S3_ENDPOINT),
 *                          the pinned venvs (DAGWRIGHT_VENV_*, DAGWRIGHT_RUFF)
 *   *.process.test.ts      needs none of that, but starts processes (bin/dagwright.js, the services, dq's
 *                          evaluation children, python, go) or runs for a time budget (the HTTP fuzz)
 *   *.test.ts              the unit tier: in the test's own process, in seconds (npm run test:unit)
 * `vitest run` runs the three together (scripts/test-all.sh); `--project NAME` runs one.
 */
const ROOTS = ['src', 'services', 'test', 'packages/*/src'];
const named = (suffix: string): string[] => ROOTS.map((root) => `${root}/**/*.${suffix}`);

export default defineConfig({
  // The workspace packages (@dagwright/dqdl) export their TypeScript sources under this
  // condition (packages/dqdl/package.json), so tests run them without a build. Tests run in
  // Vite's server environment, so it is `ssr.resolve` (top-level `resolve.conditions` does not
  // reach them); Vite adds it to its defaults, and vitest passes the server conditions on to
  // its forks as `--conditions`, which their worker threads inherit.
  ssr: { resolve: { conditions: ['@dagwright/source'] } },
  test: {
    // The end-to-end suite starts a whole local stack per Airflow version: scripts/test-all.sh runs
    // it on its own (vitest.e2e.config.ts), once per version.
    exclude: [...configDefaults.exclude, 'test/e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Four forks on two cores: the slowest files mostly wait (processes killed and restarted,
    // services draining, retries backing off), so more of them overlap. Measured on this
    // 2-core machine: 740 s with the default (2) → 430 s with 4, the same 2806 tests passing.
    maxWorkers: 4,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: named('test.ts'), exclude: ['**/*.integration.test.ts', '**/*.process.test.ts'] },
      },
      { extends: true, test: { name: 'integration', include: named('integration.test.ts') } },
      { extends: true, test: { name: 'process', include: named('process.test.ts') } },
    ],
  },
});
