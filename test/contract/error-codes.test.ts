/** The operators' own codes, as src/contract lists them for `dagwright validate`. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATOR_ERROR_CODES, SERVICE_ERROR_CODES } from '../../src/contract/index.js';
import { protocolCatalogue } from '../../services/kit/errors/catalogue.js';
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

  it('every service code is in the protocol document, with its status and retryability', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/service-protocol.md'), 'utf8');
    const rows = new Map([...doc.matchAll(/^\| `([^`]+)` \| ([^|]+) \| (yes|no) \|/gm)].map((m) => [m[1] as string, { status: (m[2] as string).trim(), retryable: m[3] === 'yes' }]));
    const missing = SERVICE_ERROR_CODES.filter((code) => {
      const spec = protocolCatalogue[code as keyof typeof protocolCatalogue];
      const row = rows.get(code);
      return row === undefined || row.retryable !== spec.retryable || row.status !== (spec.status === null ? '—' : String(spec.status));
    });
    expect(missing).toEqual([]);
  });

  it('the loader codes of issue 11 are service codes a retry policy may name', () => {
    expect(SERVICE_ERROR_CODES).toEqual(expect.arrayContaining(['Load.UnsupportedOption', 'Load.TooManyColumns', 'Load.ReservedColumn']));
  });
});
