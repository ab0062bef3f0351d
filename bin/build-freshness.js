// Whether a checkout's builds are current: each build, and the sources it is compiled from.
// bin/dagwright.js runs the built CLI only when every build it needs is current (else the
// TypeScript sources through tsx), and `local up` refuses to start services from a stale build
// (src/local/build-freshness.ts). Plain JavaScript: the CLI's launcher reads it before anything
// is compiled. Its types: build-freshness.d.ts.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What `npm run build` writes, in order: the workspace package first (its tsbuildinfo is
 * written on every build, while an incremental build leaves unchanged outputs as they were),
 * then the app, whose build imports the package's.
 */
export const BUILDS = [
  { name: '@dagwright/dqdl', output: 'packages/dqdl/dist/tsconfig.tsbuildinfo', sources: ['packages/dqdl/src'] },
  { name: 'the app', output: 'dist/src/cli/main.js', sources: ['src', 'services'] },
];

/** A file a build compiles: TypeScript (not tests) and JSON (the DQDL rule catalogue). */
const compiled = (name) => (name.endsWith('.ts') && !name.endsWith('.test.ts')) || name.endsWith('.json');
/** Folders no build compiles: test helpers and golden files. */
const NOT_BUILT = new Set(['testing', '__golden__']);

/** The newest modification time of a compiled file under `dir` (0 when there is none). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = NOT_BUILT.has(entry.name) ? newest : Math.max(newest, newestSource(path));
    else if (compiled(entry.name) && entry.name !== 'testing.ts') newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Each build that is missing, or older than a source folder it is compiled from, with why;
 * [] when all are current. A checkout without a build's sources (an installed package ships
 * only what is built) counts that build as current.
 */
export function staleBuilds(root, builds = BUILDS) {
  const stale = [];
  for (const build of builds) {
    const sources = build.sources.filter((dir) => existsSync(join(root, dir)));
    if (sources.length === 0) continue;
    const output = join(root, build.output);
    if (!existsSync(output)) {
      stale.push({ name: build.name, output: build.output, missing: true, newer: [] });
      continue;
    }
    const builtAt = statSync(output).mtimeMs;
    const newer = sources.filter((dir) => newestSource(join(root, dir)) > builtAt);
    if (newer.length > 0) stale.push({ name: build.name, output: build.output, missing: false, newer });
  }
  return stale;
}

/** One line: `@dagwright/dqdl (packages/dqdl/dist/...) is missing`, `... is older than packages/dqdl/src`. */
export function describeStale(stale) {
  return stale.map((s) => `${s.name} (${s.output}) ${s.missing ? 'is missing' : `is older than ${s.newer.join(' and ')}`}`).join('; ');
}
