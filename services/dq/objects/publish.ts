/**
 * Writing results so that a crash never leaves a half-written partition that a retry
 * would add to: files go to a temporary prefix of the run first; publishing copies them
 * to their final names (the same names on every attempt), removes any final object of an
 * earlier attempt that this one did not write, writes `_manifest.json` last, and clears
 * the run's temporary prefix (earlier attempts' leftovers included).
 */
import type { Location } from './locations.js';
import { child } from './locations.js';
import type { ObjectStorage, StoredObject } from './object-storage.js';

export interface PublishFile {
  /** The local file. */
  readonly file: string;
  /** Its name under the final prefix, e.g. `part-00000.parquet`. */
  readonly name: string;
}

export interface PublishTarget {
  readonly storage: ObjectStorage;
  /** The final prefix, e.g. `.../quarantine/pipeline=p/dt=2026-01-01/run=r/`. */
  readonly final: Location;
  /** This run's temporary prefix; this attempt writes under `attempt`. */
  readonly temp: Location;
  readonly attempt: string;
  readonly manifest: Readonly<Record<string, unknown>>;
}

/** Test-only: called between the steps, to crash there. */
export interface PublishFaults {
  afterUpload?(file: PublishFile): void;
  afterCopy?(file: PublishFile): void;
}

export const MANIFEST = '_manifest.json';

export async function publish(target: PublishTarget, files: readonly PublishFile[], faults: PublishFaults = {}, signal?: AbortSignal): Promise<StoredObject[]> {
  const { storage, final, temp } = target;
  const staging = child(temp, `attempt=${target.attempt}`);
  const staged: Array<{ file: PublishFile; at: Location }> = [];
  for (const f of files) {
    const at = child(staging, f.name);
    await storage.upload(f.file, at.bucket, at.key, signal);
    staged.push({ file: f, at });
    faults.afterUpload?.(f);
  }
  const written: StoredObject[] = [];
  for (const { file, at } of staged) {
    const to = child(final, file.name);
    await storage.copy(at, to);
    faults.afterCopy?.(file);
  }
  const finalPrefix = `${final.key.replace(/\/+$/, '')}/`;
  const existing = await storage.list(final.bucket, finalPrefix);
  const names = new Set(files.map((f) => child(final, f.name).key));
  const stale = existing.filter((o) => !names.has(o.key) && o.key !== child(final, MANIFEST).key).map((o) => o.key);
  if (stale.length > 0) await storage.delete(final.bucket, stale);
  for (const o of await storage.list(final.bucket, finalPrefix)) if (names.has(o.key)) written.push(o);
  const manifest = { ...target.manifest, files: written.map((o) => ({ key: o.key, size: o.size })) };
  const m = child(final, MANIFEST);
  await storage.put(m.bucket, m.key, `${JSON.stringify(manifest, null, 2)}\n`, 'application/json');
  const leftovers = await storage.list(temp.bucket, `${temp.key.replace(/\/+$/, '')}/`);
  if (leftovers.length > 0) await storage.delete(temp.bucket, leftovers.map((o) => o.key));
  return written.sort((a, b) => a.key.localeCompare(b.key));
}
