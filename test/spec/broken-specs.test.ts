import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../src/compile/compile-spec.js';
import { SourceText } from '../../src/diagnostics/source-text.js';
import { REPO_ROOT } from '../helpers/paths.js';

const folder = join(REPO_ROOT, 'test/fixtures/specs');
const expected = JSON.parse(readFileSync(join(folder, 'expected.json'), 'utf8')) as Record<string, { code: string; line: number; col: number }[]>;

describe('a folder of broken specs', () => {
  it('lists every spec in the folder', () => {
    const files = readdirSync(folder).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s reports each mistake with its code, line and column', (file, want) => {
    const text = readFileSync(join(folder, file), 'utf8');
    const result = compileSpec(file, text);
    const index = new SourceText(text);
    const got = result.diagnostics
      .map((d) => ({ code: d.code, ...index.locate(d.pos[0]) }))
      .sort((a, b) => a.line - b.line || a.col - b.col);
    expect(got).toEqual([...want].sort((a, b) => a.line - b.line || a.col - b.col));
    expect(result.model === undefined).toBe(want.length > 0);
  });
});
