/**
 * bin/dagwright.js as users run it, in a process of its own: the exit code and the output reach
 * the shell; and `npx dagwright` works right after `npm ci`, before any `npm run build`. The
 * commands themselves are tested in-process (cli.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';

const SKIP = new Set(['node_modules', 'dist', '.git', 'build', '.dagwright']);

describe('bin/dagwright.js', () => {
  it('exits with the code of the command, its diagnostics on stderr (the built CLI after `npm run build`)', () => {
    const result = spawnSync(process.execPath, ['bin/dagwright.js', 'validate', 'examples/orders_hourly_to_redshift.yaml', 'test/fixtures/specs/broken_graph.yaml'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(result.stderr).toContain('test/fixtures/specs/broken_graph.yaml:18:13: graph.unknown-task');
    expect(result.stderr).toContain('1 valid, 1 invalid spec');
    expect(result.status).toBe(1);
  });

  it('runs from a checkout that was never built (no dist/, no packages/dqdl/dist/)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dagwright-clean-'));
    const built = (path: string) => SKIP.has(path.split(sep)[0] ?? '') || path === join('packages', 'dqdl', 'dist');
    cpSync(REPO_ROOT, dir, { recursive: true, filter: (source) => !built(relative(REPO_ROOT, source)) });
    // The installed dependencies, but @dagwright/dqdl is this copy's packages/dqdl (as `npm ci`
    // links it), which has no build: it resolves to its sources.
    mkdirSync(join(dir, 'node_modules', '@dagwright'), { recursive: true });
    for (const name of readdirSync(join(REPO_ROOT, 'node_modules'))) {
      if (name !== '@dagwright') symlinkSync(join(REPO_ROOT, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
    }
    symlinkSync(join('..', '..', 'packages', 'dqdl'), join(dir, 'node_modules', '@dagwright', 'dqdl'), 'dir');
    expect(existsSync(join(dir, 'dist'))).toBe(false);
    expect(existsSync(join(dir, 'packages/dqdl/dist'))).toBe(false);
    const result = spawnSync(process.execPath, ['bin/dagwright.js', 'validate', 'examples/orders_hourly_to_redshift.yaml'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(result.stderr).toContain('1 valid, 0 invalid specs');
    expect(result.status).toBe(0);
  });

  it('runs the sources, not an older build, when they changed since `npm run build`', () => {
    // A stand-in layout: its dist/ and src/ entry points say which one ran.
    const dir = mkdtempSync(join(tmpdir(), 'dagwright-stale-'));
    cpSync(join(REPO_ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    for (const sub of ['dist/src/cli', 'src/cli', 'services/kit', 'packages/dqdl/src', 'packages/dqdl/dist']) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
    writeFileSync(join(dir, 'dist/src/cli/main.js'), "console.log('built');\n");
    writeFileSync(join(dir, 'src/cli/main.ts'), "const from: string = 'sources';\nconsole.log(from);\n");
    writeFileSync(join(dir, 'services/kit/x.ts'), 'export {};\n');
    writeFileSync(join(dir, 'packages/dqdl/src/index.ts'), 'export {};\n');
    writeFileSync(join(dir, 'packages/dqdl/src/rules-config.json'), '{}\n');
    writeFileSync(join(dir, 'packages/dqdl/dist/tsconfig.tsbuildinfo'), '{}\n');
    const run = () => {
      const result = spawnSync(process.execPath, ['bin/dagwright.js'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect(result.stderr).toBe('');
      return result.stdout.trim();
    };
    const at = (file: string, seconds: number) => utimesSync(join(dir, file), seconds, seconds);
    at('src/cli/main.ts', 1_000);
    at('services/kit/x.ts', 1_000);
    at('packages/dqdl/src/index.ts', 1_000);
    at('packages/dqdl/src/rules-config.json', 1_000);
    at('packages/dqdl/dist/tsconfig.tsbuildinfo', 1_500);
    at('dist/src/cli/main.js', 2_000);
    expect(run()).toBe('built');
    at('packages/dqdl/src/index.ts', 3_000); // the DQDL package, edited after the build
    expect(run()).toBe('sources');
    at('packages/dqdl/src/index.ts', 1_000);
    expect(run()).toBe('built');
    at('packages/dqdl/src/rules-config.json', 1_800); // its rule catalogue, after its own build
    expect(run()).toBe('sources');
    at('packages/dqdl/src/rules-config.json', 1_000);
    rmSync(join(dir, 'packages/dqdl/dist/tsconfig.tsbuildinfo')); // the app built alone (`tsc -p tsconfig.json`)
    expect(run()).toBe('sources');
    writeFileSync(join(dir, 'packages/dqdl/dist/tsconfig.tsbuildinfo'), '{}\n');
    at('packages/dqdl/dist/tsconfig.tsbuildinfo', 1_500);
    expect(run()).toBe('built');
    at('services/kit/x.ts', 3_000); // edited (or pulled) after the build
    expect(run()).toBe('sources');
  });
});
