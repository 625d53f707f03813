/**
 * The reference for Apideck's signed message, written the way its guide does:
 * sort every object's keys (`Object.keys().sort()`), rebuild the object with
 * plain assignment, recursively, and `JSON.stringify` the copy. Tests compare
 * the receiver's `canonicalJson` against this, and sign bodies with it, so the
 * production serialiser is never its own oracle.
 *
 * Plain assignment makes `sorted.__proto__ = value` set the prototype instead
 * of a key: the one place this reference knowingly differs from the receiver.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => sortKeysDeep(item));
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(source).sort()) {
    sorted[key] = sortKeysDeep(source[key]);
  }
  return sorted;
}

/** `JSON.stringify(sortKeysDeep(value))`: what Apideck signs for a parsed body. */
export function referenceCanonicalJson(value: unknown): string {
  const text = JSON.stringify(sortKeysDeep(value));
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/** Whether any object inside `value` has an own `__proto__` key (where the reference differs). */
export function hasProtoKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some((item) => hasProtoKey(item));
  if (value === null || typeof value !== 'object') return false;
  if (Object.hasOwn(value, '__proto__')) return true;
  return Object.values(value).some((item) => hasProtoKey(item));
}
