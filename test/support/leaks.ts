/**
 * Finds secret material in text meant for logs or responses. Error messages can
 * quote a window of a secret (V8's JSON.parse errors quote ~10 characters around
 * the fault), so looking for the whole secret is not enough.
 */

/** The windows of `secret` at least `minLength` characters long that occur in `text`. */
export function leakedFragments(text: string, secret: string, minLength = 6): string[] {
  const found = new Set<string>();
  for (let start = 0; start + minLength <= secret.length; start++) {
    const fragment = secret.slice(start, start + minLength);
    if (text.includes(fragment)) found.add(fragment);
  }
  return [...found];
}
