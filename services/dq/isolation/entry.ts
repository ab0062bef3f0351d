/**
 * How to start one of this folder's modules in another thread or process: the built
 * `.js` when the service runs from `dist/`, or the TypeScript source through tsx (a dev
 * dependency) when it runs from source (tests), as bin/dagwright.js does for the CLI. From
 * source, @dagwright/dqdl resolves to its sources too (the "@dagwright/source" export
 * condition): a child process gets the condition here, a worker thread inherits it with the
 * parent's `process.execArgv` (vitest starts its forks with it).
 */
import { fileURLToPath } from 'node:url';

export interface Entry {
  /** The module's file. */
  readonly file: string;
  /** Node options a child process needs to load it. */
  readonly execArgv: readonly string[];
  /** Code that loads it in a worker thread (`new Worker(code, { eval: true })`). */
  readonly workerCode: string;
}

export function entryOf(name: string): Entry {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  const load = `import(${JSON.stringify(url.href)})`;
  return {
    file: fileURLToPath(url),
    execArgv: fromSource ? ['--conditions=@dagwright/source', '--import', 'tsx'] : [],
    workerCode: fromSource ? `import('tsx/esm/api').then(({ register }) => { register(); return ${load}; })` : load,
  };
}
