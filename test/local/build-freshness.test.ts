import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILDS, describeStale, staleBuilds } from '../../bin/build-freshness.js';
import { staleBuild } from '../../src/local/build-freshness.js';
import { REPO_ROOT } from '../helpers/paths.js';

/** The builds the CLI's launcher and `local up` check (bin/build-freshness.js), on a stand-in checkout. */
describe('staleBuilds: neither the CLI nor a local stack runs a build older than its sources', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const now = Date.now() / 1000;
  const file = (path: string, age: number) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), '');
    utimesSync(join(root, path), now - age, now - age);
  };
  /** Sources 500 s old, the package built 300 s ago and the app 200 s ago, as `npm run build` leaves them. */
  function checkout(): void {
    root = mkdtempSync(join(tmpdir(), 'dw-fresh-'));
    file('services/dq/index.ts', 500);
    file('src/cli/main.ts', 500);
    file('packages/dqdl/src/index.ts', 500);
    file('packages/dqdl/src/rules-config.json', 500);
    file('packages/dqdl/dist/tsconfig.tsbuildinfo', 300);
    file('dist/src/cli/main.js', 200);
  }

  it('is current when each build is newer than its sources', () => {
    checkout();
    expect(staleBuilds(root)).toEqual([]);
  });

  it('names the app build and the folder changed after it', () => {
    checkout();
    file('services/dq/index.ts', 10);
    expect(staleBuilds(root)).toEqual([{ name: 'the app', output: 'dist/src/cli/main.js', missing: false, newer: ['services'] }]);
  });

  it('names the package when its sources, or its rule catalogue (JSON), changed after its own build', () => {
    checkout();
    file('packages/dqdl/src/rules-config.json', 250); // older than the app's build, newer than the package's
    expect(staleBuilds(root)).toEqual([{ name: '@dagwright/dqdl', output: 'packages/dqdl/dist/tsconfig.tsbuildinfo', missing: false, newer: ['packages/dqdl/src'] }]);
  });

  it('counts a missing build as stale (the app built alone, without the package)', () => {
    checkout();
    rmSync(join(root, 'packages/dqdl/dist'), { recursive: true });
    expect(describeStale(staleBuilds(root))).toBe('@dagwright/dqdl (packages/dqdl/dist/tsconfig.tsbuildinfo) is missing');
  });

  it('does not count tests, test helpers or golden files, which no build compiles', () => {
    checkout();
    file('services/dq/http.test.ts', 1);
    file('services/dq/testing/dq-app.ts', 1);
    file('packages/dqdl/src/testing.ts', 1);
    file('services/loader/target/redshift/__golden__/manifest.json', 1);
    expect(staleBuilds(root)).toEqual([]);
  });

  it('lists the builds `npm run build` writes, each output one its build writes on every run', () => {
    expect(BUILDS.map((b) => b.output)).toEqual(['packages/dqdl/dist/tsconfig.tsbuildinfo', 'dist/src/cli/main.js']);
  });
});

describe('local up’s check', () => {
  it('uses the checkout’s own bin/build-freshness.js, and says which build is stale and why', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dw-fresh-up-'));
    try {
      mkdirSync(join(root, 'bin'));
      writeFileSync(join(root, 'package.json'), '{"type": "module"}\n');
      copyFileSync(join(REPO_ROOT, 'bin', 'build-freshness.js'), join(root, 'bin', 'build-freshness.js'));
      mkdirSync(join(root, 'services'));
      writeFileSync(join(root, 'services', 'main.ts'), '');
      expect(await staleBuild(root)).toBe('the app (dist/src/cli/main.js) is missing');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
