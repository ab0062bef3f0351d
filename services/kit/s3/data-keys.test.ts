/** Which keys under a prefix are data: one rule for every service that reads a prefix, and for the operators (test/fixtures/data-keys.json). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/helpers/paths.js';
import { isDataKey } from './data-keys.js';

const { cases } = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'data-keys.json'), 'utf8')) as { cases: [string, boolean][] };

describe('isDataKey (a key relative to the prefix read)', () => {
  it.each(cases)('%j is data: %s', (key, want) => expect(isDataKey(key)).toBe(want));
});
