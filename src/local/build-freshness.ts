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

/**
 * What `npm run build` compiles into the services' build: the app's sources and the workspace
 * package @dagwright/dqdl, built before them (so `built`, the last file written, is newer).
 */
const SOURCE_DIRS = ['src', 'services', 'packages/dqdl/src'];

/** The source folders newer than `built`, or [] (also when the sources are not there: a package). */
export function staleBuild(repoRoot: string, built: string): string[] {
  const builtAt = statSync(built).mtimeMs;
  return SOURCE_DIRS.filter((dir) => existsSync(join(repoRoot, dir)) && newestSource(join(repoRoot, dir)) > builtAt);
}
