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

/** The key under which the event's idempotency record is stored. */
export function recordKeyOf(eventId: string): string {
  if (eventId.isWellFormed() && !eventId.startsWith(DERIVED_KEY_PREFIX)) return eventId;
  const digest = createHash('sha256').update(Buffer.from(eventId, 'utf16le')).digest('hex');
  return `${DERIVED_KEY_PREFIX}sha256:${digest}`;
}
