#!/usr/bin/env node
// dagwright supports Node 20 (package.json engines); the AWS SDK's notice about its own future
// Node requirement is not something a dagwright user can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { register as registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describeStale, staleBuilds } from './build-freshness.js';

// The built CLI (`npm run build`); a checkout that was never built (right after `npm ci`), or
// whose sources changed since it was built (a `git pull` without `npm run build`), runs the
// TypeScript sources through tsx, a dev dependency, instead: never yesterday's build. That
// holds for each build the CLI runs: the app's and the @dagwright/dqdl package's.
const built = new URL('../dist/src/cli/main.js', import.meta.url);
const stale = staleBuilds(fileURLToPath(new URL('..', import.meta.url)));

if (stale.length === 0) {
  await import(built.href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(`dagwright: ${describeStale(stale)}, and tsx is not installed: run \`npm run build\` (or \`npm ci\` with dev dependencies)\n`);
    process.exit(70);
  }
  register();
  registerHooks('./source-condition.js', import.meta.url);
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
