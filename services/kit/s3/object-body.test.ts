import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { objectBodyStream } from './object-body.js';

describe('objectBodyStream', () => {
  it.each<[string, () => unknown, string]>([
    ['a Node stream (the SDK on Node)', () => Readable.from(['ab', 'c']), 'abc'],
    ['a web stream (the SDK elsewhere)', () => ({ transformToWebStream: () => new Blob(['web']).stream() }), 'web'],
    ['no body', () => undefined, ''],
  ])('%s', async (_name, body, want) => {
    expect(await text(objectBodyStream(body()))).toBe(want);
  });
});
