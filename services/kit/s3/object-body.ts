import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';

/** A GetObject answer's body as a Node stream: the SDK gives a Readable on Node, a web stream elsewhere; none is empty. */
export function objectBodyStream(body: unknown): Readable {
  if (body instanceof Readable) return body;
  if (body !== undefined && body !== null && typeof (body as { transformToWebStream?: unknown }).transformToWebStream === 'function') {
    return Readable.fromWeb((body as { transformToWebStream(): ReadableStream }).transformToWebStream());
  }
  return Readable.from([]);
}
