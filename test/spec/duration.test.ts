import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/spec/duration.js';

describe('durations', () => {
  it.each([
    ['1m30s', 90],
    ['5m', 300],
    ['1h30m', 5_400],
    ['1d2h3m4s', 93_784],
  ])('%s is %i seconds, and prints back the same', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
    expect(formatDuration(seconds)).toBe(text);
  });

  it('prints a duration with its largest units first', () => {
    expect(formatDuration(7_200)).toBe('2h');
    expect(formatDuration(0)).toBe('0s');
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration(formatDuration(123_456))).toBe(123_456);
  });

  it('refuses what is not a duration', () => {
    expect(parseDuration('1m1h')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });
});
