/** Publishing through a temporary prefix, on the local-directory storage (S3: quarantine.integration.test.ts). */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LocalObjectStorage } from './local-object-storage.js';
import { MANIFEST, publish } from './publish.js';

const dir = mkdtempSync(join(tmpdir(), 'dw-dq-publish-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (p: string) => ({ scheme: 'file' as const, bucket: '', key: join(dir, p) });

it('copies to final names, drops stale objects, writes the manifest last, clears the run’s temporary prefix', async () => {
  const src = join(dir, 'a.parquet');
  writeFileSync(src, 'rows');
  mkdirSync(join(dir, 'out', 'final'), { recursive: true });
  writeFileSync(join(dir, 'out', 'final', 'part-00003.parquet'), 'stale, from an earlier attempt');
  mkdirSync(join(dir, 'out', 'tmp', 'attempt=old'), { recursive: true });
  writeFileSync(join(dir, 'out', 'tmp', 'attempt=old', 'part-00000.parquet'), 'left by a crash');
  const written = await publish(
    { storage: new LocalObjectStorage(), final: at('out/final'), temp: at('out/tmp'), attempt: 'job_2', manifest: { rows: 1 } },
    [{ file: src, name: 'part-00000.parquet' }],
  );
  expect(written.map((o) => o.key)).toEqual([join(dir, 'out', 'final', 'part-00000.parquet')]);
  expect(readdirSync(join(dir, 'out', 'final')).sort()).toEqual([MANIFEST, 'part-00000.parquet']);
  expect(JSON.parse(readFileSync(join(dir, 'out', 'final', MANIFEST), 'utf8'))).toMatchObject({ rows: 1, files: [{ size: 4 }] });
  expect(existsSync(join(dir, 'out', 'tmp'))).toBe(false);
});

it('a crash before the copy leaves the final partition as it was', async () => {
  const src = join(dir, 'b.parquet');
  writeFileSync(src, 'new rows');
  mkdirSync(join(dir, 'c', 'final'), { recursive: true });
  writeFileSync(join(dir, 'c', 'final', 'part-00000.parquet'), 'old rows');
  const crash = () => {
    throw new Error('crash');
  };
  await expect(
    publish({ storage: new LocalObjectStorage(), final: at('c/final'), temp: at('c/tmp'), attempt: 'job_1', manifest: {} }, [{ file: src, name: 'part-00000.parquet' }], { afterUpload: crash }),
  ).rejects.toThrow('crash');
  expect(readFileSync(join(dir, 'c', 'final', 'part-00000.parquet'), 'utf8')).toBe('old rows');
});
