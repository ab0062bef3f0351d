import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { staleBuild } from '../../src/local/build-freshness.js';

describe('staleBuild: a local stack never runs services older than their sources', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function checkout(sourceAge: number, buildAge: number, testAge = buildAge): string {
    root = mkdtempSync(join(tmpdir(), 'dw-fresh-'));
    const now = Date.now() / 1000;
    const file = (path: string, age: number) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), '');
      utimesSync(join(root, path), now - age, now - age);
    };
    file('services/dq/index.ts', sourceAge);
    file('src/cli/main.ts', 500);
    file('packages/dqdl/src/index.ts', 500);
    file('services/dq/http.test.ts', testAge);
    file('dist/services/main.js', buildAge);
    return join(root, 'dist/services/main.js');
  }

  it('is fresh when the build is newer than every source', () => {
    const built = checkout(100, 10);
    expect(staleBuild(root, built)).toEqual([]);
  });

  it('names the folder whose source changed after the build', () => {
    const built = checkout(10, 100);
    expect(staleBuild(root, built)).toEqual(['services']);
  });

  it('names the DQDL package when its source changed after the build', () => {
    const built = checkout(100, 50);
    utimesSync(join(root, 'packages/dqdl/src/index.ts'), new Date(), new Date());
    expect(staleBuild(root, built)).toEqual(['packages/dqdl/src']);
  });

  it('does not count test files, which the build leaves out', () => {
    const built = checkout(100, 50, 1);
    expect(staleBuild(root, built)).toEqual([]);
  });
});
