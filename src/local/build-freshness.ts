/**
 * Whether the builds a local stack runs are current: the services must not be yesterday's after
 * a `git pull` or an edit without `npm run build`. The builds and their sources are listed once,
 * in bin/build-freshness.js, which the CLI's launcher uses for the same check; it is loaded from
 * the checkout's bin/ (this module runs from src/ under tsx and from dist/src/ when built).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Freshness from '../../bin/build-freshness.js';

/** Why the builds under `repoRoot` are stale (each, with its output and newer sources), or undefined when they are current. */
export async function staleBuild(repoRoot: string): Promise<string | undefined> {
  const { describeStale, staleBuilds } = (await import(pathToFileURL(join(repoRoot, 'bin', 'build-freshness.js')).href)) as typeof Freshness;
  const stale = staleBuilds(repoRoot);
  return stale.length > 0 ? describeStale(stale) : undefined;
}
