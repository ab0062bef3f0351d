#!/usr/bin/env node
// dagwright supports Node 20 (package.json engines); the AWS SDK's notice about its own future
// Node requirement is not something a dagwright user can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await import('../dist/src/cli/main.js');
