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
  const first = key.charCodeAt(0);
  // Most keys are names: one comparison instead of a regular expression.
  if (!(first >= 48 && first <= 57)) return false;
  return ARRAY_INDEX.test(key) && Number(key) <= MAX_ARRAY_INDEX;
}

/**
 * The keys in canonical order. `Object.keys` already lists array-index keys
 * first, in ascending numeric order (the language guarantees it), followed by
 * the other keys in insertion order: only those need sorting.
 */
function orderedKeys(object: object, omit: ReadonlySet<string> | undefined): string[] {
  let keys = Object.keys(object);
  if (omit !== undefined) keys = keys.filter((key) => !omit.has(key));
  let indices = 0;
  while (indices < keys.length && isArrayIndex(keys[indices] as string)) indices++;
  if (indices === 0) return keys.sort();
  if (indices === keys.length) return keys;
  return [...keys.slice(0, indices), ...keys.slice(indices).sort()];
}

/** `JSON.stringify` of a primitive; `undefined` for what JSON cannot hold (as `JSON.stringify`). */
function primitive(value: unknown): string | undefined {
  return JSON.stringify(value) as string | undefined;
}

function serialise(value: unknown, omit?: ReadonlySet<string>): string | undefined {
  if (value === null || typeof value !== 'object') return primitive(value);
  // Concatenation rather than map/join: this runs on every request, twice.
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ',';
      text += serialise(value[i]) ?? '';
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = orderedKeys(record, omit);
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0) text += ',';
    text += `${JSON.stringify(key)}:${serialise(record[key])}`;
  }
  return `${text}}`;
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
  return serialise(value, omitTopLevelKeys) as string;
}
