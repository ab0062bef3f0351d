/**
 * Flag combinations that would mean something other than they say are usage errors (exit 2)
 * before anything is read or changed: found by trying deploy as a user would. `--bucket`
 * with `--plan` uploaded; `--poll-seconds abc`
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
    ['--plan with --bucket only (it uploaded)', { bucket: 'b', plan: true }, /--plan need --environment/],
    ['--rollback with what only a deploy reads (it was ignored)', { environment: 'env', rollback: true, trigger: 'd', requirements: 'r.txt' }, /--rollback restores the versions before the latest deploy and takes no --trigger, --requirements/],
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

  it('the contract form with a DAG folder and --rollback stays valid, and --rollback --plan prints the rollback plan', () => {
    expect(deployUsageError({ environment: 'env', rollback: true })).toBeUndefined();
    expect(deployUsageError({ environment: 'env', rollback: true, plan: true })).toBeUndefined();
    expect(deployUsageError({ environment: 'env', plan: true, pollSeconds: '5', verifySeconds: '60' })).toBeUndefined();
    expect(deployUsageError({ environment: 'env', verifySeconds: '0' })).toBeUndefined();
    expect(deployUsageError({ bucket: 'b', plugins: true })).toBeUndefined();
  });
});

describe('deploy errors a user can act on', () => {
  it('a DAG folder that does not exist is a usage error before AWS is asked', async () => {
    const out = io();
    expect(await deployCommand('/no/such/dags', { environment: 'env' }, out)).toBe(EXIT.usage);
    expect(out.errors).toEqual(['dagwright deploy: the DAG folder /no/such/dags does not exist']);
  });

  it('no AWS region anywhere: says where to give one', async () => {
    const saved = { region: process.env.AWS_REGION, defaultRegion: process.env.AWS_DEFAULT_REGION, config: process.env.AWS_CONFIG_FILE, profile: process.env.AWS_PROFILE };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
    delete process.env.AWS_PROFILE;
    try {
      const out = io();
      expect(await deployCommand(undefined, { environment: 'env', status: true }, out)).toBe(EXIT.usage);
      expect(out.errors.join('\n')).toContain('no AWS region: pass --region, or set AWS_REGION');
    } finally {
      for (const [name, value] of [['AWS_REGION', saved.region], ['AWS_DEFAULT_REGION', saved.defaultRegion], ['AWS_CONFIG_FILE', saved.config], ['AWS_PROFILE', saved.profile]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
