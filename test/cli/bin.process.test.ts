/**
 * bin/dagwright.js as users run it, in a process of its own: the exit code and the output reach
 * the shell; and `npx dagwright` works right after `npm ci`, before any `npm run build`. The
 * commands themselves are tested in-process (cli.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
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

  it('runs from a checkout that was never built (no dist/)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dagwright-clean-'));
    cpSync(REPO_ROOT, dir, { recursive: true, filter: (source) => !SKIP.has(relative(REPO_ROOT, source).split(sep)[0] ?? '') });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    expect(existsSync(join(dir, 'dist'))).toBe(false);
    const result = spawnSync(process.execPath, ['bin/dagwright.js', 'validate', 'examples/orders_hourly_to_redshift.yaml'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(result.stderr).toContain('1 valid, 0 invalid specs');
    expect(result.status).toBe(0);
  });

  it('runs the sources, not an older build, when they changed since `npm run build`', () => {
    // A stand-in layout: its dist/ and src/ entry points say which one ran.
    const dir = mkdtempSync(join(tmpdir(), 'dagwright-stale-'));
    mkdirSync(join(dir, 'bin'));
    cpSync(join(REPO_ROOT, 'bin', 'dagwright.js'), join(dir, 'bin', 'dagwright.js'));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    for (const sub of ['dist/src/cli', 'src/cli', 'services/kit']) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
    writeFileSync(join(dir, 'dist/src/cli/main.js'), "console.log('built');\n");
    writeFileSync(join(dir, 'src/cli/main.ts'), "const from: string = 'sources';\nconsole.log(from);\n");
    writeFileSync(join(dir, 'services/kit/x.ts'), 'export {};\n');
    const run = () => {
      const result = spawnSync(process.execPath, ['bin/dagwright.js'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect(result.stderr).toBe('');
      return result.stdout.trim();
    };
    const at = (file: string, seconds: number) => utimesSync(join(dir, file), seconds, seconds);
    at('src/cli/main.ts', 1_000);
    at('services/kit/x.ts', 1_000);
    at('dist/src/cli/main.js', 2_000);
    expect(run()).toBe('built');
    at('services/kit/x.ts', 3_000); // edited (or pulled) after the build
    expect(run()).toBe('sources');
  });
});
