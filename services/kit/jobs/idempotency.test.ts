import { describe, expect, it } from 'vitest';
import { decideForKey } from './idempotency.js';
import type { JobRecord, JobStatus } from './types.js';

const job = (status: JobStatus, fingerprint = 'A', attempt = 1) => ({ status, fingerprint, attempt }) as JobRecord;

describe('decideForKey (the protocol table)', () => {
  it.each([
    ['nothing seen → a new job', undefined, 'A', { kind: 'new', attempt: 1 }],
    ['same body, queued → that job', job('queued'), 'A', { kind: 'replay' }],
    ['same body, running → that job', job('running'), 'A', { kind: 'replay' }],
    ['same body, succeeded → that job', job('succeeded'), 'A', { kind: 'replay' }],
    ['same body, failed → a new attempt', job('failed', 'A', 2), 'A', { kind: 'new', attempt: 3 }],
    ['a different body, succeeded → conflict', job('succeeded'), 'B', { kind: 'conflict' }],
    ['a different body, queued → conflict', job('queued'), 'B', { kind: 'conflict' }],
    ['a different body, running → conflict', job('running'), 'B', { kind: 'conflict' }],
    // A fixed spec, regenerated, and the failed task cleared: the new request is the next attempt.
    ['a different body, failed → a new attempt', job('failed', 'A', 2), 'B', { kind: 'new', attempt: 3 }],
  ])('%s', (_name, latest, fingerprint, want) => {
    expect(decideForKey(latest, fingerprint)).toMatchObject(want);
  });
});
