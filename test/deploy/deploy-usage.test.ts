/**
 * Flag combinations that would mean something other than they say are usage errors (exit 2)
 * before anything is read or changed: found by trying deploy as a user would. `--rollback
 * --plan` rolled back for real; `--bucket` with `--plan` uploaded; `--poll-seconds abc`
 * polled GetEnvironment every millisecond. No AWS is reached: the clients are never made.
 */
import { describe, expect, it } from 'vitest';
import { deployCommand, deployUsageError, type DeployCommandOptions, type DeployIo } from '../../src/cli/commands/deploy.js';
import { EXIT } from '../../src/cli/exit-codes.js';

function io(): DeployIo & { errors: string[]; lines: string[] } {
  const errors: string[] = [];
  const lines: string[] = [];
  return { out: (l) => lines.push(l), err: (l) => errors.push(l), interactive: false, ask: async () => 'n', errors, lines };
}

describe('deploy usage errors', () => {
  it.each<[string, DeployCommandOptions, RegExp]>([
    ['--rollback --plan (it rolled back for real)', { environment: 'env', rollback: true, plan: true }, /--rollback and --plan/],
    ['--plan with --bucket only (it uploaded)', { bucket: 'b', plan: true }, /--plan need --environment/],
    ['--rollback, --trigger and --yes with --bucket only', { bucket: 'b', rollback: true, trigger: 'd', yes: true }, /--yes, --rollback, --trigger need --environment/],
    ['--plugins with --environment (ignored: plugins.zip is always published)', { environment: 'env', plugins: true }, /--plugins is for upload only/],
    ['--poll-seconds that is not a number', { environment: 'env', pollSeconds: 'abc' }, /--poll-seconds must be a number of seconds above 0, not "abc"/],
    ['--verify-seconds that is negative', { environment: 'env', verifySeconds: '-1' }, /--verify-seconds must be a number of seconds/],
  ])('%s', async (_name, options, message) => {
    expect(deployUsageError(options)).toMatch(message);
    const out = io();
    expect(await deployCommand('dags', options, out)).toBe(EXIT.usage);
    expect(out.errors.join('\n')).toMatch(message);
    expect(out.lines).toEqual([]);
  });

  it('the contract form with a DAG folder and --rollback stays valid', () => {
    expect(deployUsageError({ environment: 'env', rollback: true })).toBeUndefined();
    expect(deployUsageError({ environment: 'env', plan: true, pollSeconds: '5', verifySeconds: '60' })).toBeUndefined();
    expect(deployUsageError({ environment: 'env', verifySeconds: '0' })).toBeUndefined();
    expect(deployUsageError({ bucket: 'b', plugins: true })).toBeUndefined();
  });
});
