import { loadInput } from '../domain/request.js';
import type { LoadBody, LoadInput } from '../domain/types.js';

/** `loadInput` for a body whose batch lists its objects: the job's input, never a manifest load. */
export function inlineLoad(body: LoadBody, key: string, knownTargets: ReadonlySet<string>): LoadInput {
  const input = loadInput(body, key, knownTargets);
  if ('manifest' in input) throw new Error(`expected a batch that lists its objects, got the manifest ${input.manifest.manifest}`);
  return input;
}
