import { describe, expect, it } from 'vitest';
import { ConfigError, list, pairs, parseSize, positiveInt, size, text, wholeNumber } from './index.js';

const N = 'DAGWRIGHT_X';

describe('environment readers', () => {
  it.each([
    ['text', () => text({ [N]: 'a' }, N), 'a'],
    ['text, empty', () => text({ [N]: '' }, N), undefined],
    ['whole number', () => wholeNumber({ [N]: '0' }, N), 0],
    ['whole number, unset', () => wholeNumber({}, N), undefined],
    ['positive whole number', () => positiveInt({ [N]: '12' }, N), 12],
    ['size in MB', () => size({ [N]: '500MB' }, N), 500_000_000],
    ['size in GiB', () => size({ [N]: '2GiB' }, N), 2 * 1024 ** 3],
    ['list, trimmed', () => list({ [N]: ' a, ,b ' }, N), ['a', 'b']],
    ['list, other separator', () => list({ [N]: '/x:/y:' }, N, ':'), ['/x', '/y']],
    ['list, unset', () => list({}, N), []],
    ['pairs', () => pairs({ [N]: 'a=postgres://h/db?x=1,b=y' }, N), [['a', 'postgres://h/db?x=1'], ['b', 'y']]],
  ])('%s', (_name, read, want) => {
    expect(read()).toEqual(want);
  });

  it.each([
    ['whole number', () => wholeNumber({ [N]: '-1' }, N), `${N} must be a whole number, not "-1"`],
    ['whole number of objects, too many', () => wholeNumber({ [N]: '1000000' }, N, { of: 'objects', max: 999_999 }), `${N} must be a whole number of objects, not "1000000"`],
    ['positive whole number', () => positiveInt({ [N]: '0' }, N), `${N} must be a positive whole number, not "0"`],
    ['size', () => size({ [N]: 'lots' }, N), `${N} must be a size such as 500MB or 2GiB, not "lots"`],
    ['pairs', () => pairs({ [N]: 'a=x,=y' }, N), `${N} must be a list of name=value, not "=y"`],
  ])('%s: a ConfigError naming the variable and the value', (_name, read, message) => {
    expect(read).toThrow(new ConfigError(N, message));
    try {
      read();
    } catch (err) {
      expect(err).toMatchObject({ name: 'ConfigError', variable: N });
    }
  });

  it('parses sizes as DuckDB writes them, and nothing else', () => {
    expect([parseSize('1.5GB'), parseSize('1024 kib'), parseSize('0MB'), parseSize('2 parsecs')]).toEqual([1.5e9, 1024 ** 2, undefined, undefined]);
  });
});
