import { describe, expect, it } from 'vitest';
import { parseS3Uri } from './s3-uri.js';

describe('parseS3Uri', () => {
  it.each([
    ['a folder prefix', 's3://my-bucket/raw/events/', { bucket: 'my-bucket', prefix: 'raw/events/' }],
    ['adds the trailing slash', 's3://my-bucket/raw', { bucket: 'my-bucket', prefix: 'raw/' }],
    ['the bucket root', 's3://my.bucket.1', { bucket: 'my.bucket.1', prefix: '' }],
    ['the bucket root with slash', 's3://abc/', { bucket: 'abc', prefix: '' }],
  ])('%s', (_name, given, want) => {
    expect(parseS3Uri(given)).toEqual(want);
  });

  it.each([
    ['another scheme', 'https://bucket/x'],
    ['no bucket', 's3:///x'],
    ['upper case bucket', 's3://MyBucket/x'],
    ['too short a bucket', 's3://ab/x'],
    ['an IP address', 's3://10.0.0.1/x'],
    ['double dots', 's3://a..b/x'],
    ['a wildcard', 's3://bucket/x/*.csv'],
    ['an empty segment', 's3://bucket/x//y/'],
    ['a control character', 's3://bucket/x\n/'],
  ])('rejects %s with Source.InvalidUri', (_name, given) => {
    expect(parseS3Uri(given)).toMatchObject({ code: 'Source.InvalidUri' });
  });
});
