/** Numbers in messages as Glue (Java) prints doubles: `1.0`, `0.25`, `1.0E7`. */
export function javaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(value);
    return s.includes('.') || s.includes('e') ? s : `${s}.0`;
  }
  const [mantissa = '0', exponent = '0'] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** `80.00` for 0.8: a ratio as a percentage with two decimals. */
export function percent(ratio: number): string {
  return (ratio * 100).toFixed(2);
}
