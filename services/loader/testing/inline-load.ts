import { prepareLoad, type LoadBody } from '../domain/request.js';
import type { LoadInput } from '../domain/types.js';

/** `prepareLoad` for a body whose batch lists its objects: the job's input, never a manifest load. */
export function inlineLoad(body: LoadBody, key: string, knownTargets: ReadonlySet<string>): LoadInput {
  const input = prepareLoad(body, key, knownTargets);
  if ('manifest' in input) throw new Error(`expected a batch that lists its objects, got the manifest ${input.manifest.manifest}`);
  return input;
}
