/**
 * A regular expression matching exactly the decimal integers greater than
 * `limit` (leading zeros allowed), for WAF rules that compare a header's
 * numeric value: WAF compares sizes of strings, not values, so "Content-Length
 * over N" is a pattern on its digits.
 *
 * A number is greater than `limit` when it has more significant digits, or as
 * many and, at the first digit where they differ, a larger one.
 */
export function greaterThanPattern(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a non-negative safe integer, got ${limit}`);
  }
  const digits = String(limit);
  const alternatives = [`[1-9][0-9]{${digits.length},}`];
  for (let i = 0; i < digits.length; i += 1) {
    const digit = Number(digits[i]);
    if (digit === 9) continue;
    const rest = digits.length - i - 1;
    const next = digit + 1 === 9 ? '9' : `[${digit + 1}-9]`;
    alternatives.push(`${digits.slice(0, i)}${next}${rest > 0 ? `[0-9]{${rest}}` : ''}`);
  }
  return `^0*(${alternatives.join('|')})$`;
}
