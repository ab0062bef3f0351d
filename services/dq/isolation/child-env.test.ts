/** An evaluation's process runs the caller's SQL: it starts with none of the service's secrets. */
import { describe, expect, it } from 'vitest';
import { childEnv } from './isolated-evaluate.js';

describe('childEnv', () => {
  it('keeps what node needs, and none of the tokens, credentials or database URLs', () => {
    const env = childEnv({
      PATH: '/usr/bin',
      HOME: '/root',
      TMPDIR: '/tmp',
      DAGWRIGHT_TOKENS: 'airflow:secret',
      DAGWRIGHT_SERVICE_TOKEN: 'secret',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 'shh',
      AWS_SESSION_TOKEN: 'tok',
      DAGWRIGHT_PG_URL: 'postgres://u:p@h/db',
      DAGWRIGHT_WAREHOUSE_ANALYTICS: 'postgres://u:p@h/w',
    });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/root', TMPDIR: '/tmp' });
  });
});
