import type { ObjectVersion } from '../domain/types.js';

export interface ListRequest {
  readonly bucket: string;
  readonly prefix: string;
  readonly delimiter?: string;
  readonly startAfter?: string;
  readonly continuationToken?: string;
}

export interface ListPage {
  readonly objects: readonly ObjectVersion[];
  /** Common prefixes when a delimiter was given. */
  readonly prefixes: readonly string[];
  readonly nextToken?: string;
}

/** One ListObjectsV2 call. The listing logic is written against this, so tests and the bench can count calls. */
export interface ObjectLister {
  listPage(request: ListRequest): Promise<ListPage>;
}

/** Counts list calls (tests, the bench, and a metric). */
export class CountingObjectLister implements ObjectLister {
  calls = 0;
  constructor(
    private readonly inner: ObjectLister,
    private readonly onCall?: () => void,
  ) {}

  async listPage(request: ListRequest): Promise<ListPage> {
    this.calls++;
    this.onCall?.();
    return this.inner.listPage(request);
  }
}
