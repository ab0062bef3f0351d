/**
 * The services' image ships their own build (tsconfig.services.json): what services/main.ts
 * imports, never the CLI, the local stack, the benchmarks or test helpers; and the build of
 * @dagwright/dqdl (packages/dqdl/dist), which the dq service imports.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';

const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
const NOT_SHIPPED = (f: string): boolean => /^(src\/cli|src\/local|src\/deploy|bench|test)\//.test(f) || /testing|\.test\.ts$/.test(f);

/** The repository's files a TypeScript project compiles (or reads the declarations of). */
function projectFiles(tsconfig: string): string[] {
  const listed = execFileSync(process.execPath, [TSC, '-p', join(REPO_ROOT, tsconfig), '--listFilesOnly'], { encoding: 'utf8' });
  return listed
    .split('\n')
    .filter((f) => f.startsWith(REPO_ROOT) && !f.includes('/node_modules/'))
    .map((f) => relative(REPO_ROOT, f));
}

describe('the services build', () => {
  // As services/Dockerfile does: the package first (incremental: nothing to do when it is current).
  beforeAll(() => {
    execFileSync(process.execPath, [TSC, '-b', join(REPO_ROOT, 'packages/dqdl')]);
  }, 120_000);

  it('compiles the services and what they import, and nothing of the CLI, the local stack, bench or the tests', () => {
    const files = projectFiles('tsconfig.services.json');
    expect(files).toContain('services/main.ts');
    expect(files).toContain('services/dq/isolation/evaluate-child.ts');
    expect(files.filter(NOT_SHIPPED)).toEqual([]);
  }, 120_000);

  it('uses the build of @dagwright/dqdl, not its sources', () => {
    const files = projectFiles('tsconfig.services.json');
    expect(files).toContain('packages/dqdl/dist/index.d.ts');
    expect(files).toContain('packages/dqdl/dist/eval/index.d.ts');
    expect(files.filter((f) => f.startsWith('packages/dqdl/src/'))).toEqual([]);
  }, 120_000);

  it("builds the package without its tests, test helpers or fixtures", () => {
    const files = projectFiles('packages/dqdl/tsconfig.json');
    expect(files).toContain('packages/dqdl/src/eval/index.ts');
    expect(files.filter((f) => !f.startsWith('packages/dqdl/src/') || NOT_SHIPPED(f))).toEqual([]);
  }, 120_000);

  it('is what services/Dockerfile compiles and ships', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'services/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/tsc -b packages\/dqdl \\\n && \.\/node_modules\/\.bin\/tsc -p tsconfig\.services\.json/);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/packages\/dqdl\/package\.json /);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/packages\/dqdl\/dist /);
  });
});
