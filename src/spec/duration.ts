/** Durations in specs: `90s`, `5m`, `2h`, `1d`, or a combination in that order (`1h30m`). */
export const DURATION_PATTERN = '^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?$';
/** A duration longer than zero: for periods, time limits and poll intervals (`0m` cannot be meant). */
export const POSITIVE_DURATION_PATTERN = '^(?=\\d)(?=.*[1-9])(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?$';

const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;

/** Seconds in a duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (!new RegExp(DURATION_PATTERN).test(text)) return undefined;
  let seconds = 0;
  for (const match of text.matchAll(/(\d+)([dhms])/g)) {
    seconds += Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  }
  return seconds;
}

/** A number of seconds as a spec duration, largest units first (`5400` → `1h30m`, `0` → `0s`). */
export function formatDuration(seconds: number): string {
  let rest = Math.floor(seconds);
  let text = '';
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text === '' ? '0s' : text;
}
