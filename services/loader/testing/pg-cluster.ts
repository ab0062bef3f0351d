import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PostgreSQL server binaries (Debian layout), newest first; undefined when none is installed. */
export function pgBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/**
 * A throwaway PostgreSQL cluster of the test's own, on its own port, that the
 * test may stop and start (the shared DAGWRIGHT_PG_URL server is never
 * touched). As root, the server runs as the `postgres` user.
 */
export class PgCluster {
  private constructor(
    private readonly bin: string,
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async create(bin: string): Promise<PgCluster> {
    const parent = mkdtempSync(join(tmpdir(), 'dw-pg-'));
    chmodSync(parent, 0o755);
    const dir = join(parent, 'data');
    const cluster = new PgCluster(bin, dir, await freePort());
    if (process.getuid?.() === 0) chownSync(parent, uid('postgres'), gid('postgres'));
    cluster.as(join(bin, 'initdb'), ['-D', dir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
    appendFileSync(join(dir, 'postgresql.conf'), `\nlisten_addresses = '127.0.0.1'\nport = ${cluster.port}\nunix_socket_directories = '${parent}'\nfsync = off\n`);
    writeFileSync(join(dir, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
    cluster.start();
    return cluster;
  }

  start(): void {
    this.as(join(this.bin, 'pg_ctl'), ['-D', this.dir, '-l', join(this.dir, '..', 'log'), '-w', '-t', '60', 'start']);
  }

  /** `fast`: the server terminates every session (rolling back its transaction) and exits. */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    this.as(join(this.bin, 'pg_ctl'), ['-D', this.dir, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  destroy(): void {
    try {
      this.stop('immediate');
    } catch {
      /* already stopped */
    }
    rmSync(join(this.dir, '..'), { recursive: true, force: true });
  }

  private as(cmd: string, args: string[]): void {
    if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
    else execFileSync(cmd, args, { stdio: 'pipe' });
  }
}

function uid(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}

function gid(user: string): number {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
