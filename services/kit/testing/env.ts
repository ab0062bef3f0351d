/**
 * Test infrastructure from the environment. With `CI=true` a missing
 * variable is an error (the test fails loudly); locally the test is skipped
 * with a message saying how to enable it.
 */
export interface Requirement {
  readonly available: boolean;
  readonly value: string;
  readonly reason: string;
}

export function requireEnv(name: string, howTo: string): Requirement {
  const value = process.env[name];
  if (value) return { available: true, value, reason: '' };
  const reason = `${name} is not set (${howTo})`;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true but ${reason}: the test cannot run, and must not be skipped`);
  }
  // eslint-disable-next-line no-console
  console.warn(`skipping: ${reason}`);
  return { available: false, value: '', reason };
}

export const s3Endpoint = (): Requirement =>
  requireEnv('DAGWRIGHT_S3_ENDPOINT', 'start moto with scripts/moto.sh start, or moto_server -H 127.0.0.1 -p 5055');

export const pgUrl = (): Requirement =>
  requireEnv('DAGWRIGHT_PG_URL', 'start PostgreSQL with scripts/postgres.sh start');
