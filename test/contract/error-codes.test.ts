/** The operators' own codes, as src/contract lists them for `dagwright validate`. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATOR_ERROR_CODES, SERVICE_ERROR_CODES } from '../../src/contract/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

function pythonSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? pythonSources(join(dir, entry.name)) : entry.name.endsWith('.py') ? [readFileSync(join(dir, entry.name), 'utf8')] : [],
  );
}

describe('error codes', () => {
  const source = pythonSources(join(REPO_ROOT, 'python/dagwright_airflow')).join('\n');
  const literals = new Set([...source.matchAll(/"([A-Z][A-Za-z]*\.[A-Z][A-Za-z]*)"/g)].map((m) => m[1] as string));

  it('every code the operators raise themselves is one validate knows', () => {
    expect([...literals].filter((code) => !(OPERATOR_ERROR_CODES as readonly string[]).includes(code) && !SERVICE_ERROR_CODES.includes(code))).toEqual([]);
  });

  it('every operator code validate knows is one the operators raise', () => {
    expect(OPERATOR_ERROR_CODES.filter((code) => !literals.has(code))).toEqual([]);
  });
});
