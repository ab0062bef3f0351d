import type { Job } from '../jobs/types.js';

/** Polls `get` until the job is final (tests and the bench). */
export async function waitForJob(get: (id: string) => Promise<Job>, id: string, timeoutMs = 30_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await get(id);
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
