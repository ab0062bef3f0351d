/** `npx dagwright` works right after `npm ci`, before any `npm run build`. */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';

const SKIP = new Set(['node_modules', 'dist', '.git', 'build', '.dagwright']);

describe('bin/dagwright.js', () => {
  it('runs from a checkout that was never built (no dist/)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dagwright-clean-'));
    cpSync(REPO_ROOT, dir, { recursive: true, filter: (source) => !SKIP.has(relative(REPO_ROOT, source).split(sep)[0] ?? '') });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    expect(existsSync(join(dir, 'dist'))).toBe(false);
    const result = spawnSync(process.execPath, ['bin/dagwright.js', 'validate', 'examples/orders_hourly_to_redshift.yaml'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(result.stderr).toContain('1 valid, 0 invalid specs');
    expect(result.status).toBe(0);
  });
});
