/** `dagwright serve` and `node dist/services/main.js` parse the same way and fail the same way. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';

const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DAGWRIGHT_')));

function run(entry: string, args: string[]): { status: number | null; stderr: string } {
  const result = spawnSync('npx', ['tsx', '--conditions=@dagwright/source', join(REPO_ROOT, entry), ...args], { encoding: 'utf8', cwd: REPO_ROOT, env, timeout: 60_000 });
  return { status: result.status, stderr: result.stderr };
}

describe('serve usage errors', () => {
  it.each([
    ['no token', ['dq', '--port', '0'], 'Serve.NoTokens'],
    ['an unknown service', ['bookmark'], 'Serve.UnknownService'],
    ['a bad port', ['dq', '--port', '70000'], 'Serve.BadOption'],
    ['a port that is no number', ['dq', '--port=abc'], 'Serve.BadOption'],
    ['an unknown option', ['dq', '--prot', '1'], 'Serve.BadOption'],
    ['no service', [], 'Serve.BadOption'],
  ])('%s: exit 2 and one clean line, from the CLI as from the services entry point', (_name, args, code) => {
    const cli = run('src/cli/main.ts', ['serve', ...args]);
    const direct = run('services/main.ts', args);
    for (const result of [cli, direct]) {
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^dagwright serve: ${code}: [^\\n]+\\n$`));
    }
    expect(cli.stderr).toBe(direct.stderr);
  });
});
