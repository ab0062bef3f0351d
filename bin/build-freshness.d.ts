/** One build: what it writes last, and the folders it is compiled from (bin/build-freshness.js). */
export interface Build {
  readonly name: string;
  readonly output: string;
  readonly sources: readonly string[];
}

export interface StaleBuild {
  readonly name: string;
  readonly output: string;
  readonly missing: boolean;
  /** The source folders changed since it was built. */
  readonly newer: readonly string[];
}

export const BUILDS: readonly Build[];
export function staleBuilds(root: string, builds?: readonly Build[]): StaleBuild[];
export function describeStale(stale: readonly StaleBuild[]): string;
