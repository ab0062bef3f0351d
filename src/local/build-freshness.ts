/**
 * Whether the services' build (`dist/`) is older than their TypeScript sources: a local stack
 * must not run yesterday's services after a `git pull` or an edit without `npm run build`
 * (bin/dagwright.js makes the same check for the CLI).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time of a .ts file under `dir` (0 when there is none). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The source folders newer than `built`, or [] (also when the sources are not there: a package). */
export function staleBuild(repoRoot: string, built: string): string[] {
  const builtAt = statSync(built).mtimeMs;
  return ['src', 'services'].filter((dir) => existsSync(join(repoRoot, dir)) && newestSource(join(repoRoot, dir)) > builtAt);
}
