/** docs/dqdl.md, what a ruleset author reads: its example rules parse and run (no rule ERROR). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRuleset } from '@dagwright/dqdl';
import { evaluate } from '@dagwright/dqdl/eval';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'dw-docs-dqdl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/dqdl.md', () => {
  it('its example rules compile and run', async () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/dqdl.md'), 'utf8');
    const examples = /```\n([\s\S]*?)```/.exec(doc)![1]!.trim().split('\n');
    expect(examples.length).toBeGreaterThan(3);
    const data = join(dir, 'doc-examples.csv');
    writeFileSync(data, 'name,amount,code,created,email,signup,sku,qty\nann,10,x_1,2024-01-05,a@b,05/01/2024,ABC1,2\n');
    const { ruleset, diagnostics } = parseRuleset(`Rules = [\n  ${examples.join(',\n  ')}\n]`);
    expect(diagnostics).toEqual([]);
    const { evaluation, errors } = await evaluate({ ruleset: ruleset!, data: { files: [data] } });
    expect(errors).toEqual([]);
    expect(evaluation?.rules.map((r) => r.result)).not.toContain('ERROR');
  });
});
