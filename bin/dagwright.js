#!/usr/bin/env node
// dagwright supports Node 20 (package.json engines); the AWS SDK's notice about its own future
// Node requirement is not something a dagwright user can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { register as registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

// The built CLI (`npm run build`); a checkout that was never built (right after `npm ci`), or
// whose sources changed since it was built (a `git pull` without `npm run build`), runs the
// TypeScript sources through tsx, a dev dependency, instead: never yesterday's build.
const built = new URL('../dist/src/cli/main.js', import.meta.url);
// @dagwright/dqdl, a workspace package, is built first (`npm run build`), so main.js is newer.
const sourceDirs = ['../src', '../services', '../packages/dqdl/src'].map((dir) => fileURLToPath(new URL(dir, import.meta.url)));

/** The newest modification time of a .ts file under `dir` (0 when there is none). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtIsCurrent() {
  if (!existsSync(built)) return false;
  // A published package ships dist/ without the sources: what is built is what there is.
  if (!sourceDirs.every(existsSync)) return true;
  const builtAt = statSync(built).mtimeMs;
  return sourceDirs.every((dir) => newestSource(dir) <= builtAt);
}

if (builtIsCurrent()) {
  await import(built.href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    const why = existsSync(built) ? 'dist/ is older than the sources' : 'dist/ is missing';
    process.stderr.write(`dagwright: ${why} and tsx is not installed: run \`npm run build\` (or \`npm ci\` with dev dependencies)\n`);
    process.exit(70);
  }
  register();
  registerHooks('./source-condition.js', import.meta.url);
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
