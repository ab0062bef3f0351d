/**
 * The README's first command: `dagwright demo` on embedded defaults (SQLite, DuckDB, moto),
 * run as a user runs it, on the Airflow version it uses (3.1). Its report is checked against
 * what the demo's data must give: each valid row once, each bad row quarantined once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, E2E_AIRFLOW } from './harness.js';

describe.runIf(E2E_AIRFLOW === '3.1')('dagwright demo', () => {
  it('runs the worked example over three hours and a rerun, and says what happened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dagwright-demo-'));
    const { code, stdout, stderr } = await cli(['demo', '--dir', dir]);
    expect(code, stderr.slice(-4000)).toBe(0);
    expect(stdout.match(/: SUCCESS in /g)).toHaveLength(4);
    // hour 1: 2 of 4 rows bad; hour 2: 1 of 3 ("0" fails amount > 0); hour 3: an update of 1003
    expect(stdout).toContain('2 row(s) passed, 2 quarantined');
    expect(stdout).toContain('2 row(s) passed, 1 quarantined');
    expect(stdout).toContain('(1 inserted, 1 updated)');
    expect(stdout).toContain('nothing written: this batch was loaded before');
    expect(stdout).toContain('analytics.orders holds 5 rows, each once');
    expect(stdout).toMatch(/1001 +alice +25\.00\n +1003 +carol +13\.50\n +1004 +erin +40\.00\n +1006 +grace +8\.25\n +1007 +heidi +19\.99/);
    expect(stdout).toContain('3 bad rows were quarantined');
    for (const run of stdout.split('== hour').slice(1, 4)) expect(run).toContain('1 new object(s) in the batch');
  });
});
