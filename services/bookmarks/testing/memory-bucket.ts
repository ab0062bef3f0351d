import type { ObjectVersion } from '../domain/types.js';
import type { ListPage, ListRequest, ObjectLister } from '../objects/object-lister.js';

/**
 * An in-memory bucket with ListObjectsV2's semantics (prefix, delimiter,
 * start-after, pages of `pageSize`). Unlike a real S3 API, it lets a test set
 * an object's last-modified time: late arrivals need that.
 */
export class MemoryBucket implements ObjectLister {
  private readonly objects = new Map<string, ObjectVersion>();
  private sorted: string[] | null = null;

  constructor(
    readonly bucket: string,
    private readonly pageSize = 1000,
  ) {}

  put(object: ObjectVersion): void {
    if (!this.objects.has(object.key)) this.sorted = null;
    this.objects.set(object.key, object);
  }

  all(): ObjectVersion[] {
    return this.keys().map((k) => this.objects.get(k) as ObjectVersion);
  }

  async listPage(request: ListRequest): Promise<ListPage> {
    if (request.bucket !== this.bucket) throw Object.assign(new Error('NoSuchBucket'), { name: 'NoSuchBucket' });
    const keys = this.keys();
    const after = request.continuationToken ?? request.startAfter ?? '';
    let i = lowerBound(keys, request.prefix);
    const objects: ObjectVersion[] = [];
    const prefixes: string[] = [];
    let last = '';
    while (i < keys.length && objects.length + prefixes.length < this.pageSize) {
      const key = keys[i] as string;
      if (!key.startsWith(request.prefix)) break;
      i++;
      if (key <= after) continue;
      if (request.delimiter) {
        const rest = key.slice(request.prefix.length);
        const cut = rest.indexOf(request.delimiter);
        if (cut >= 0) {
          const common = request.prefix + rest.slice(0, cut + request.delimiter.length);
          // Skip every key under this common prefix.
          i = lowerBound(keys, common + '\uffff');
          if (common <= after) continue;
          prefixes.push(common);
          last = common;
          continue;
        }
      }
      objects.push(this.objects.get(key) as ObjectVersion);
      last = key;
    }
    const more = i < keys.length && (keys[i] as string).startsWith(request.prefix);
    return { objects, prefixes, ...(more ? { nextToken: last } : {}) };
  }

  private keys(): string[] {
    this.sorted ??= [...this.objects.keys()].sort();
    return this.sorted;
  }
}

function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
