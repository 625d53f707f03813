import { createHash } from 'node:crypto';

/**
 * The idempotency table's key of an event. DynamoDB stores strings as UTF-8
 * and refuses one holding a lone surrogate, which valid JSON can still carry
 * (`"\ud83d"`): such an id, refused on every retry, would lose the event. Its
 * key is a hash of its UTF-16 code units instead, which is just as stable
 * across retries. Derived keys start with U+FFFD, so no id as sent collides
 * with one (an id that itself starts with U+FFFD is hashed too).
 */
export const DERIVED_KEY_PREFIX = '\uFFFD';

/** Whether `value` is well-formed UTF-16 (no lone surrogate), so any UTF-8 store can hold it. */
export function isWellFormedText(value: string): boolean {
  return value.isWellFormed();
}

/** `value` with each lone surrogate replaced by U+FFFD (for descriptive fields only, never keys). */
export function toWellFormedText(value: string): string {
  return value.toWellFormed();
}

/** The key under which the event's idempotency record is stored. */
export function recordKeyOf(eventId: string): string {
  if (isWellFormedText(eventId) && !eventId.startsWith(DERIVED_KEY_PREFIX)) return eventId;
  const digest = createHash('sha256').update(Buffer.from(eventId, 'utf16le')).digest('hex');
  return `${DERIVED_KEY_PREFIX}sha256:${digest}`;
}
