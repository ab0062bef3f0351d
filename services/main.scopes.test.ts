import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { serve, ServeError } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'dw-serve-scopes-'));

function capture(lines: string[]) {
  return new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter((l) => l.length > 0));
      done();
    },
  });
}

async function start(env: NodeJS.ProcessEnv, lines: string[]) {
  const svc = await serve({ service: 'bookmarks', port: 0, host: '127.0.0.1', state: join(dir, `s-${lines.length}-${Math.random()}.sqlite`), env, handleSignals: false, logDestination: capture(lines) });
  await svc.close('test');
}

describe('serve: scopes at start', () => {
  it('warns at start that it runs unscoped when no scopes are configured', async () => {
    const lines: string[] = [];
    await start({ DAGWRIGHT_TOKEN: 'a-token-of-airflow' }, lines);
    const warning = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => l.msg.startsWith('running unscoped'));
    expect(warning?.level).toBe(40);
  });

  it('with a scopes file: no unscoped warning; identities with no entry are named', async () => {
    const file = join(dir, 'scopes.yaml');
    writeFileSync(file, 'identities:\n  airflow:\n    verbs: [run]\n    bookmarks: ["*"]\n');
    const lines: string[] = [];
    await start({ DAGWRIGHT_TOKENS: 'airflow:a-token-of-airflow,ops:a-token-of-ops', DAGWRIGHT_SCOPES_FILE: file }, lines);
    const parsed = lines.map((l) => JSON.parse(l) as { msg: string; identities?: string[] });
    expect(parsed.some((l) => l.msg.startsWith('running unscoped'))).toBe(false);
    expect(parsed.find((l) => l.msg.startsWith('identities without a scope entry'))?.identities).toEqual(['ops']);
    expect(lines.join('')).not.toContain('a-token-of');
  });

  it('refuses to start on a bad scopes file, naming where', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'identities:\n  airflow:\n    verbs: [everything]\n');
    const err = await serve({ service: 'bookmarks', port: 0, host: '127.0.0.1', env: { DAGWRIGHT_TOKEN: 'a-token-of-airflow', DAGWRIGHT_SCOPES_FILE: file }, handleSignals: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServeError);
    expect((err as ServeError).code).toBe('Serve.BadScopes');
    expect((err as ServeError).message).toContain(`${file}: /identities/airflow/verbs/0`);
  });
});
