/**
 * The Apideck webhook envelope `{"payload": {...}}`, read only from a body whose
 * signature has been verified. Only the fields the receiver relies on are
 * checked; everything else is passed through untouched.
 */

/** A verified Apideck event. */
export interface ApideckEvent {
  /** `payload.event_id`: the idempotency key, the same across retries. */
  readonly eventId: string;
  /** `payload.event_type`: the route (never the unsigned header). */
  readonly eventType: string;
  /** `payload.occurred_at` as epoch milliseconds. */
  readonly occurredAtMs: number;
  /** The whole `payload` object as received. */
  readonly payload: Readonly<Record<string, unknown>>;
}

/** What a verified body turned out to be. */
export type EnvelopeParseResult =
  | { readonly kind: 'event'; readonly event: ApideckEvent }
  /** Valid JSON, but not an event (e.g. Apideck's URL-validation POST): acknowledged, not routed. */
  | { readonly kind: 'not-an-event' }
  | { readonly kind: 'invalid'; readonly reason: string };

/** DynamoDB limits a string partition key to 2048 bytes; real event ids are UUIDs. */
const MAX_EVENT_ID_LENGTH = 512;
const MAX_EVENT_TYPE_LENGTH = 256;
/** ISO-8601 date-time with a time zone, as Apideck sends (`2026-11-26T12:00:00.000Z`). */
const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= maxLength;
}

/**
 * Classifies a parsed, verified body. A payload without an `event_type` is not
 * an event; one with an `event_type` must also carry a valid `event_id` and
 * `occurred_at`, or it is invalid.
 */
export function parseEnvelope(body: unknown): EnvelopeParseResult {
  if (!isPlainObject(body) || !isPlainObject(body.payload)) return { kind: 'not-an-event' };
  const payload = body.payload;
  if (payload.event_type === undefined) return { kind: 'not-an-event' };
  if (!nonEmptyString(payload.event_type, MAX_EVENT_TYPE_LENGTH)) {
    return { kind: 'invalid', reason: 'payload.event_type must be a non-empty string' };
  }
  if (!nonEmptyString(payload.event_id, MAX_EVENT_ID_LENGTH)) {
    return {
      kind: 'invalid',
      reason: `payload.event_id must be a non-empty string of at most ${MAX_EVENT_ID_LENGTH} characters`,
    };
  }
  const occurredAt = payload.occurred_at;
  const occurredAtMs =
    typeof occurredAt === 'string' && ISO_DATE_TIME.test(occurredAt) ? Date.parse(occurredAt) : NaN;
  if (Number.isNaN(occurredAtMs)) {
    return { kind: 'invalid', reason: 'payload.occurred_at must be an ISO-8601 date-time' };
  }
  return {
    kind: 'event',
    event: { eventId: payload.event_id, eventType: payload.event_type, occurredAtMs, payload },
  };
}
