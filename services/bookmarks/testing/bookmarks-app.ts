import type { ObjectVersion } from '../domain/types.js';

/** Test helpers shared by the bookmarks suites (not used in production). */
export const minute = (n: number): string => new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();

export function version(key: string, atMinute: number, etag = `${key}@${atMinute}`, size = 100): ObjectVersion {
  return { key, etag, size, last_modified: minute(atMinute) };
}

/** A clock that tests move by hand. */
export class ManualClock {
  constructor(private ms: number = Date.UTC(2026, 0, 1)) {}
  now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}
