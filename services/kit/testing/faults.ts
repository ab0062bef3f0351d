/**
 * Test-only fault injection for the real-process crash tests. The test entry point
 * (`services/main.testing.ts`) reads these variables and hands the hooks to the services;
 * the product's entry point (`services/main.ts`) reads none of them.
 *
 * - `DAGWRIGHT_FAULT_PAUSE_IN_COMMIT_MS`: bookmarks stops inside the commit transaction,
 *   after the bookmark row is written and before the run row is.
 * - `DAGWRIGHT_FAULT_DQ_PAUSE_AFTER` = `upload:<failed|passed>` or `copy:<failed|passed>`:
 *   dq stops after that step of publishing, once (for `DAGWRIGHT_FAULT_DQ_PAUSE_MS`, 60 s
 *   by default).
 * - `DAGWRIGHT_FAULT_LOADER_PAUSE_AT` = `copying`, `merged` or `committed`: the loader stops
 *   its load at that checkpoint (`loader/domain/hooks.ts`), for good; the process still
 *   answers, and its warehouse session stays as it was (the transaction open).
 *
 * A stopped process says so on stderr (`fault: paused ...`); the test kills it there.
 */
import { basename } from 'node:path';
import { ConfigError, positiveInt, text, type Env } from '../config/index.js';
import { LOAD_CHECKPOINTS, type LoadCheckpoint } from '../../loader/domain/hooks.js';

/** The hooks the faults set, shaped as the services' configurations take them. */
export interface Faults {
  readonly bookmarks?: { readonly hooks: { readonly midTransaction: (actions: readonly string[]) => void } };
  readonly dq?: { readonly faults: { afterUpload?(file: { file: string }): void; afterCopy?(file: { file: string }): void } };
  readonly loader?: { readonly hooks: { checkpoint(point: string): Promise<void> | void } };
}

/** Blocks the whole process (the event loop too) for `ms`, after saying `fault: <what>` on stderr. */
export function pauseProcess(what: string, ms: number): void {
  process.stderr.write(`fault: ${what}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function faultsFromEnv(env: Env): Faults {
  return { ...bookmarksFaults(env), ...dqFaults(env), ...loaderFaults(env) };
}

function bookmarksFaults(env: Env): Faults {
  const ms = positiveInt(env, 'DAGWRIGHT_FAULT_PAUSE_IN_COMMIT_MS');
  if (ms === undefined) return {};
  const midTransaction = (actions: readonly string[]) => {
    if (actions.includes('run.committed')) pauseProcess('paused inside commit', ms);
  };
  return { bookmarks: { hooks: { midTransaction } } };
}

function dqFaults(env: Env): Faults {
  const at = text(env, 'DAGWRIGHT_FAULT_DQ_PAUSE_AFTER');
  if (at === undefined) return {};
  const [step, which] = at.split(':');
  const ms = positiveInt(env, 'DAGWRIGHT_FAULT_DQ_PAUSE_MS') ?? 60_000;
  let done = false;
  const pause = (f: { file: string }) => {
    if (done || !basename(f.file).startsWith(which ?? '')) return;
    done = true;
    pauseProcess(`paused after ${step} of ${basename(f.file)}`, ms);
  };
  return { dq: { faults: step === 'upload' ? { afterUpload: pause } : { afterCopy: pause } } };
}

function loaderFaults(env: Env): Faults {
  const name = 'DAGWRIGHT_FAULT_LOADER_PAUSE_AT';
  const at = text(env, name);
  if (at === undefined) return {};
  const points: readonly string[] = LOAD_CHECKPOINTS;
  if (!points.includes(at)) throw new ConfigError(name, `${name} must be one of ${points.join(', ')}, not ${JSON.stringify(at)}`);
  const checkpoint = (point: LoadCheckpoint) => {
    if (point !== at) return;
    process.stderr.write(`fault: paused at ${point}\n`);
    return new Promise<void>(() => undefined);
  };
  return { loader: { hooks: { checkpoint } } };
}
