#!/usr/bin/env node
// dagwright supports Node 20 (package.json engines); the AWS SDK's notice about its own future
// Node requirement is not something a dagwright user can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { existsSync } from 'node:fs';

// The built CLI (`npm run build`); a checkout that was never built (right after `npm ci`)
// runs the TypeScript sources through tsx, a dev dependency, instead.
const built = new URL('../dist/src/cli/main.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('dagwright: dist/ is missing and tsx is not installed: run `npm run build` (or `npm ci` with dev dependencies)\n');
    process.exit(70);
  }
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
