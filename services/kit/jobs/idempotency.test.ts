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
    ['a different body → conflict', job('succeeded'), 'B', { kind: 'conflict' }],
    ['a different body, even after a failure → conflict', job('failed'), 'B', { kind: 'conflict' }],
  ])('%s', (_name, latest, fingerprint, want) => {
    expect(decideForKey(latest, fingerprint)).toMatchObject(want);
  });
});
