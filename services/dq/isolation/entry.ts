/**
 * How to start one of this folder's modules in another thread or process: the built
 * `.js` when the service runs from `dist/`, or the TypeScript source through tsx (a dev
 * dependency) when it runs from source (tests), as bin/dagwright.js does for the CLI. From
 * source, @dagwright/dqdl resolves to its sources too (the "@dagwright/source" export
 * condition), given here to the child process and to the worker thread alike: neither may
 * count on its parent having it (bin/dagwright.js's fallback adds it with a resolve hook,
 * which a worker does not inherit).
 */
import { fileURLToPath } from 'node:url';

export interface Entry {
  /** The module's file. */
  readonly file: string;
  /** Node options a child process needs to load it. */
  readonly execArgv: readonly string[];
  /** Code that loads it in a worker thread (`new Worker(code, { eval: true, execArgv: workerExecArgv })`). */
  readonly workerCode: string;
  /**
   * Node options the worker thread needs (tsx itself is registered by `workerCode`); undefined:
   * the parent's, inherited as Node does (passed explicitly, flags such as --max-old-space-size
   * or --inspect are refused in a worker).
   */
  readonly workerExecArgv: readonly string[] | undefined;
}

const SOURCE_CONDITION = '--conditions=@dagwright/source';

export function entryOf(name: string): Entry {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  const load = `import(${JSON.stringify(url.href)})`;
  return {
    file: fileURLToPath(url),
    execArgv: fromSource ? [SOURCE_CONDITION, '--import', 'tsx'] : [],
    workerCode: fromSource ? `import('tsx/esm/api').then(({ register }) => { register(); return ${load}; })` : load,
    workerExecArgv: fromSource ? [SOURCE_CONDITION] : undefined,
  };
}
