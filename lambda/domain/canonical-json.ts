import { isJsonObject } from './json-body.ts';

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

/**
 * Strings `JSON.stringify` writes unchanged between quotes: without a quote, a
 * backslash, a control character or a surrogate (it escapes a lone one).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what JSON escapes.
const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** `JSON.stringify` of a string; most keys and values need no escaping, and this runs for each. */
function quote(text: string): string {
  return PLAIN_STRING.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** `JSON.stringify` of a primitive; `undefined` for what JSON cannot hold (as `JSON.stringify`). */
function primitive(value: unknown): string | undefined {
  if (typeof value === 'string') return quote(value);
  return JSON.stringify(value) as string | undefined;
}

function member(record: Record<string, unknown>, key: string): string {
  return `${quote(key)}:${serialise(record[key])}`;
}

function serialise(value: unknown, omit?: ReadonlySet<string>): string | undefined {
  if (value === null || typeof value !== 'object') return primitive(value);
  // Concatenation rather than map/join: this runs on every request.
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
    if (i > 0) text += ',';
    text += member(record, keys[i] as string);
  }
  return `${text}}`;
}

/**
 * An object's canonical text with and without the `omit` keys, from one pass:
 * leaving keys out of a sorted list keeps the others in the same order, so the
 * shorter text is the longer one without those members.
 */
function serialiseWithAndWithout(
  record: Record<string, unknown>,
  omit: ReadonlySet<string>,
): { readonly whole: string; readonly without: string } {
  const keys = orderedKeys(record, undefined);
  let whole = '{';
  let without = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const text = member(record, key);
    if (i > 0) whole += ',';
    whole += text;
    if (omit.has(key)) continue;
    if (without.length > 1) without += ',';
    without += text;
  }
  return { whole: `${whole}}`, without: `${without}}` };
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

/** {@link canonicalJsonWithMember}'s two texts. */
export interface CanonicalTexts {
  /** `canonicalJson(value)`. */
  readonly text: string;
  /**
   * `canonicalJson(value[key], omit)` when `value` is an object whose own
   * member `key` is an object (not an array); otherwise `undefined`.
   */
  readonly member: string | undefined;
}

/**
 * The canonical text of a value and, from the same serialisation, that of the
 * object under its top-level `key` without the `omit` keys of that object: the
 * receiver needs the body's (what Apideck signs) and the payload's (its
 * fingerprint) for every event, and the payload is most of the body.
 *
 * @throws RangeError when the value nests deeper than the call stack allows.
 */
export function canonicalJsonWithMember(
  value: unknown,
  key: string,
  omit: ReadonlySet<string>,
): CanonicalTexts {
  if (!isJsonObject(value) || !Object.hasOwn(value, key) || !isJsonObject(value[key])) {
    return { text: canonicalJson(value), member: undefined };
  }
  const keys = orderedKeys(value, undefined);
  let text = '{';
  let memberText: string | undefined;
  for (let i = 0; i < keys.length; i++) {
    const name = keys[i] as string;
    if (i > 0) text += ',';
    if (name !== key) {
      text += member(value, name);
      continue;
    }
    const inner = serialiseWithAndWithout(value[name] as Record<string, unknown>, omit);
    text += `${quote(name)}:${inner.whole}`;
    memberText = inner.without;
  }
  return { text: `${text}}`, member: memberText };
}
