/**
 * Apideck signs `JSON.stringify(sortKeysDeep(body))`: every object's keys sorted,
 * recursively, arrays in order, compact. This serialises a parsed JSON value the
 * same way without building the sorted copy, so a `__proto__` key stays an
 * ordinary key instead of becoming a prototype.
 */

/**
 * Keys that JavaScript objects list first, in ascending numeric order, whatever
 * the insertion order: `JSON.stringify` of the sorted copy emits them that way,
 * so the canonical form must too (`{"10":…,"9":…}` -> `{"9":…,"10":…}`).
 */
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;
const MAX_ARRAY_INDEX = 4_294_967_294;

function isArrayIndex(key: string): boolean {
  return ARRAY_INDEX.test(key) && Number(key) <= MAX_ARRAY_INDEX;
}

function orderedKeys(object: object, omit: ReadonlySet<string> | undefined): string[] {
  const indices: string[] = [];
  const names: string[] = [];
  for (const key of Object.keys(object)) {
    if (omit?.has(key)) continue;
    (isArrayIndex(key) ? indices : names).push(key);
  }
  indices.sort((a, b) => Number(a) - Number(b));
  names.sort();
  return indices.length === 0 ? names : [...indices, ...names];
}

function serialise(value: unknown, omit?: ReadonlySet<string>): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => serialise(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = orderedKeys(record, omit).map(
    (key) => `${JSON.stringify(key)}:${serialise(record[key])}`,
  );
  return `{${members.join(',')}}`;
}

/**
 * The canonical (recursively key-sorted, compact) JSON text of a value produced
 * by `JSON.parse`.
 *
 * @param omitTopLevelKeys keys of the top-level object to leave out (used for
 *   fingerprints that ignore `execution_attempt`).
 * @throws RangeError when the value nests deeper than the call stack allows.
 */
export function canonicalJson(value: unknown, omitTopLevelKeys?: ReadonlySet<string>): string {
  return serialise(value, omitTopLevelKeys);
}
