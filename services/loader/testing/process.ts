import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Job } from '../../kit/jobs/types.js';

const ENTRY = fileURLToPath(new URL('./serve-loader.ts', import.meta.url));
const TOKEN = 'crash-test-token-1';

/** A loader in its own process (`node --import tsx`), driven over HTTP. */
export class LoaderProcess {
  private readonly lines: string[] = [];
  private readonly waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;
  port = 0;

  private constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const w of this.waiters.splice(0)) w();
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    this.exited.then(() => {
      this.stderr = stderr;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  stderr = '';

  static async start(env: Record<string, string>): Promise<LoaderProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
      env: { ...process.env, ...env, LOADER_TEST_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const p = new LoaderProcess(child);
    const line = await p.waitFor(/^LISTENING (\d+)$/, 30_000);
    p.port = Number(/^LISTENING (\d+)$/.exec(line)?.[1]);
    return p;
  }

  /** Resolves with the first stdout line matching `re`. */
  async waitFor(re: RegExp, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.lines.find((l) => re.test(l));
      if (hit) return hit;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`loader exited before ${re}: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no ${re} from the loader within ${timeoutMs} ms; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  async post(body: object, key: string): Promise<{ status: number; job: Job }> {
    const res = await fetch(`http://127.0.0.1:${this.port}/v1/loads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Idempotency-Key': key, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, job: (await res.json()) as Job };
  }

  async job(id: string): Promise<Job> {
    const res = await fetch(`http://127.0.0.1:${this.port}/v1/jobs/${id}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    return (await res.json()) as Job;
  }

  async waitJob(id: string, timeoutMs = 60_000): Promise<Job> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.job(id);
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILL: no shutdown, no hand-back, no rollback from our side. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}
