import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { servicesEnv } from '../../src/local/services-env.js';

const options = { token: 't0k', s3Endpoint: 'http://127.0.0.1:5000', warehouses: { analytics: 'duckdb:/tmp/a.duckdb' }, workDir: '/tmp/dq-work' };

describe('the local services environment', () => {
  it('passes the shell’s DAGWRIGHT_* settings on, and sets the ones the stack owns', () => {
    const env = servicesEnv({ ...options, base: { DAGWRIGHT_DQ_EVAL_TIMEOUT: '30s', DAGWRIGHT_TOKEN: 'mine', DAGWRIGHT_STATE: '/x.sqlite', DAGWRIGHT_WAREHOUSE_OLD: 'duckdb:/old' } });
    expect(env).toMatchObject({ DAGWRIGHT_DQ_EVAL_TIMEOUT: '30s', DAGWRIGHT_TOKENS: 'airflow:t0k', DAGWRIGHT_S3_ENDPOINT: 'http://127.0.0.1:5000', DAGWRIGHT_WAREHOUSE_ANALYTICS: 'duckdb:/tmp/a.duckdb' });
    expect(env).not.toHaveProperty('DAGWRIGHT_TOKEN');
    expect(env).not.toHaveProperty('DAGWRIGHT_STATE');
    expect(env).not.toHaveProperty('DAGWRIGHT_WAREHOUSE_OLD');
  });

  it('makes a relative scopes file and local roots absolute, so a restart from elsewhere reads the same files', () => {
    const env = servicesEnv({ ...options, base: { DAGWRIGHT_SCOPES_FILE: 'conf/scopes.yaml', DAGWRIGHT_DQ_LOCAL_ROOTS: 'data: /srv/lake::' } });
    expect(env.DAGWRIGHT_SCOPES_FILE).toBe(resolve('conf/scopes.yaml'));
    expect(env.DAGWRIGHT_DQ_LOCAL_ROOTS).toBe(`${resolve('data')}:/srv/lake`);
  });
});
