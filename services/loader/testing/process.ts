import type { LoadCheckpoint } from '../domain/hooks.js';
import type { Job } from '../../kit/jobs/types.js';
import { startService, type ServiceProcess } from '../../kit/testing/process.js';

const TOKEN = 'crash-test-token-1';

/**
 * A loader in its own process, the services' test entry point (`services/main.testing.ts`),
 * driven over HTTP: job state in `state` (SQLite), warehouses from `env`
 * (`DAGWRIGHT_WAREHOUSE_DEFAULT`, …), scratch space in `tmpDir` (its TMPDIR, so the test
 * removes it even after a SIGKILL). With `pauseAt` the load stops at that checkpoint and
 * the process says `fault: paused at <point>` (`DAGWRIGHT_FAULT_LOADER_PAUSE_AT`), so the
 * test can kill it there.
 */
export class LoaderProcess {
  private constructor(private readonly service: ServiceProcess) {}

  static async start(options: { readonly state: string; readonly tmpDir: string; readonly env: Record<string, string>; readonly pauseAt?: LoadCheckpoint }): Promise<LoaderProcess> {
    const env = {
      ...process.env,
      ...options.env,
      TMPDIR: options.tmpDir,
      DAGWRIGHT_TOKEN: TOKEN,
      ...(options.pauseAt ? { DAGWRIGHT_FAULT_LOADER_PAUSE_AT: options.pauseAt } : {}),
    };
    return new LoaderProcess(await startService(['loader', '--port', '0', '--host', '127.0.0.1', '--state', options.state], env, { faults: true, timeoutMs: 30_000 }));
  }

  /** Resolves once the process stopped its load at `point`. */
  pausedAt(point: LoadCheckpoint, timeoutMs: number): Promise<void> {
    return this.service.waitFor(new RegExp(`^fault: paused at ${point}$`, 'm'), timeoutMs);
  }

  async post(body: object, key: string): Promise<{ status: number; job: Job }> {
    const res = await fetch(`${this.service.url}/v1/loads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Idempotency-Key': key, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, job: (await res.json()) as Job };
  }

  async job(id: string): Promise<Job> {
    const res = await fetch(`${this.service.url}/v1/jobs/${id}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
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
    this.service.proc.kill('SIGKILL');
    await this.service.exited;
  }

  async stop(): Promise<void> {
    if (this.service.proc.exitCode === null && this.service.proc.signalCode === null) this.service.proc.kill('SIGTERM');
    await this.service.exited;
  }
}
