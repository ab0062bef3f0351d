// A module resolution hook (node:module `register`) for bin/dagwright.js's tsx fallback: it adds
// the "@dagwright/source" export condition, as `node --conditions=@dagwright/source` would, so
// the workspace packages (@dagwright/dqdl) resolve to their TypeScript sources, not to a build
// that may be older (packages/dqdl/package.json, "exports").
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, '@dagwright/source'] });
}
