import type { ManifestReader } from '../../kit/batch-manifest/index.js';
import { Problem } from '../../kit/errors/problem.js';
import { resolveObject } from './batch.js';
import { withObjects } from './request.js';
import type { BatchObject, LoadInput, ManifestLoad } from './types.js';

/**
 * A manifest load's objects, streamed from its manifest: a line that names no object is
 * `Manifest.Invalid`, an empty manifest too; then the same checks as inline objects
 * (format, duplicates) and the load's fingerprint.
 */
export async function readManifestLoad(load: ManifestLoad, manifests: ManifestReader, signal?: AbortSignal): Promise<LoadInput> {
  const objects: BatchObject[] = [];
  for await (const entry of manifests(load.manifest, '/batch', signal)) {
    const resolved = resolveObject(entry, load.bucket, '/batch/manifest');
    if ('path' in resolved) {
      const message = `line ${objects.length + 1} (${entry.key}) ${resolved.message}`;
      throw new Problem('Manifest.Invalid', { detail: `the batch manifest ${load.manifest.manifest}: ${message}`, errors: [{ path: '/batch/manifest', message }] });
    }
    objects.push(resolved);
  }
  const { manifest: _ref, bucket: _bucket, format, ...base } = load;
  return withObjects(base, objects, format, '/batch/manifest');
}
