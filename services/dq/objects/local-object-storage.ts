/**
 * ObjectStorage on the local file system: the bucket is '', keys are absolute paths (real
 * paths: `parseLocation` resolved them within the allowed roots).
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ObjectRef, ObjectStorage, StoredObject } from './object-storage.js';

/** Regular files under `dir`; symlinks are not followed (one could lead out of the allowed roots). */
function walk(dir: string): string[] {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}

function stored(file: string): StoredObject {
  const s = statSync(file);
  return { bucket: '', key: file, size: s.size, last_modified: s.mtime.toISOString() };
}

export class LocalObjectStorage implements ObjectStorage {
  async list(_bucket: string, prefix: string): Promise<StoredObject[]> {
    if (existsSync(prefix) && lstatSync(prefix).isFile()) return [stored(prefix)];
    const dir = prefix.endsWith('/') ? prefix : path.dirname(prefix);
    return walk(dir)
      .filter((f) => f.startsWith(prefix))
      .sort()
      .map(stored);
  }

  async download(object: ObjectRef, file: string): Promise<void> {
    copyFileSync(object.key, file);
  }

  async upload(file: string, _bucket: string, key: string): Promise<StoredObject> {
    mkdirSync(path.dirname(key), { recursive: true });
    copyFileSync(file, key);
    return stored(key);
  }

  async copy(from: ObjectRef, to: ObjectRef): Promise<void> {
    mkdirSync(path.dirname(to.key), { recursive: true });
    copyFileSync(from.key, to.key);
  }

  /** Deletes files, then the folders they leave empty. */
  async delete(_bucket: string, keys: readonly string[]): Promise<void> {
    for (const k of keys) rmSync(k, { force: true });
    for (const k of keys) {
      let dir = path.dirname(k);
      while (dir !== path.dirname(dir) && existsSync(dir) && readdirSync(dir).length === 0) {
        rmSync(dir, { recursive: true, force: true });
        dir = path.dirname(dir);
      }
    }
  }

  async put(_bucket: string, key: string, body: string): Promise<void> {
    mkdirSync(path.dirname(key), { recursive: true });
    writeFileSync(key, body);
  }
}
