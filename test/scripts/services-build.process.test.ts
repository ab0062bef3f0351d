/**
 * The services' image ships their own build (tsconfig.services.json): what services/main.ts
 * imports, never the CLI, the local stack, the benchmarks or test helpers.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';

describe('the services build', () => {
  it('compiles the services and what they import, and nothing of the CLI, the local stack, bench or the tests', () => {
    const listed = execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(REPO_ROOT, 'tsconfig.services.json'), '--listFilesOnly'], { encoding: 'utf8' });
    const files = listed
      .split('\n')
      .filter((f) => f.startsWith(REPO_ROOT) && !f.includes('/node_modules/'))
      .map((f) => relative(REPO_ROOT, f));
    expect(files).toContain('services/main.ts');
    expect(files).toContain('services/dq/isolation/evaluate-child.ts');
    expect(files.some((f) => f.startsWith('src/dqdl/'))).toBe(true);
    expect(files.filter((f) => /^(src\/cli|src\/local|src\/deploy|bench)\//.test(f) || /testing|\.test\.ts$/.test(f))).toEqual([]);
  }, 120_000);

  it('is what services/Dockerfile compiles', () => {
    expect(readFileSync(join(REPO_ROOT, 'services/Dockerfile'), 'utf8')).toMatch(/tsc -p tsconfig\.services\.json/);
  });
});
