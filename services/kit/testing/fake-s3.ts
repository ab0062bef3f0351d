import { createServer, type Server } from 'node:http';

export interface FakeObject {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  readonly lastModified: string;
}

/**
 * A loopback HTTP server that answers ListObjectsV2 (path style) from a fixed
 * list, or never answers when `hang` is set. For real-process tests that
 * must not depend on moto; the moto tests cover the real S3 API.
 */
export async function startFakeS3(objects: readonly FakeObject[], options: { hang?: boolean } = {}): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (options.hang) return;
    const url = new URL(req.url ?? '/', 'http://x');
    const prefix = url.searchParams.get('prefix') ?? '';
    const matching = objects.filter((o) => o.key.startsWith(prefix));
    const contents = matching
      .map((o) => `<Contents><Key>${o.key}</Key><LastModified>${o.lastModified}</LastModified><ETag>&quot;${o.etag}&quot;</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`)
      .join('');
    res.setHeader('Content-Type', 'application/xml');
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>data</Name><Prefix>${prefix}</Prefix><KeyCount>${matching.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
