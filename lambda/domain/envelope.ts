/**
 * The Apideck webhook envelope `{"payload": {...}}`, read only from a body whose
 * signature has been verified. Only the fields the receiver relies on are
 * checked; everything else is passed through untouched.
 */

import { isJsonObject } from './json-body.ts';

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
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
/**
 * Deeper payloads cannot be fingerprinted or serialised without risking the
 * call stack; real Apideck payloads nest a handful of levels.
 */
export const MAX_PAYLOAD_DEPTH = 64;

/** `Date.parse` rolls impossible dates over (`02-30` becomes `03-02`); refuse them instead. */
function parseIsoDateTime(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  const match = ISO_DATE_TIME.exec(value);
  if (match === null) return Number.NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return Number.NaN;
  return Date.parse(value);
}

/** Whether a value nests deeper than `limit` (iterative: the input may be hostile). */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  // Objects and arrays only, their depths alongside: no pair allocated per node of every payload.
  const nodes: object[] = [];
  const depths: number[] = [];
  if (typeof value === 'object' && value !== null) {
    nodes.push(value);
    depths.push(0);
  }
  for (let node = nodes.pop(); node !== undefined; node = nodes.pop()) {
    const depth = depths.pop() ?? 0;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) {
      if (typeof child !== 'object' || child === null) continue;
      nodes.push(child);
      depths.push(depth + 1);
    }
  }
  return false;
}

function nonEmptyString(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= maxLength;
}

/** The fields that make a payload an event; a payload with some but not all of them is malformed. */
const EVENT_FIELDS = ['event_id', 'event_type', 'occurred_at'] as const;

/**
 * Classifies a parsed, verified body. A body without a `payload` object, or
 * whose payload has none of `event_id`, `event_type` and `occurred_at`, is not
 * an event (Apideck's URL-validation POST). A payload with any of them is an
 * event and must carry all three validly, or it is invalid: acknowledging a
 * malformed event would drop it for good, while a 400 shows in Apideck's log.
 */
export function parseEnvelope(body: unknown): EnvelopeParseResult {
  if (!isJsonObject(body) || !isJsonObject(body.payload)) return { kind: 'not-an-event' };
  const payload = body.payload;
  if (EVENT_FIELDS.every((name) => !Object.hasOwn(payload, name))) return { kind: 'not-an-event' };
  if (!nonEmptyString(payload.event_type, MAX_EVENT_TYPE_LENGTH)) {
    return { kind: 'invalid', reason: 'payload.event_type must be a non-empty string' };
  }
  if (!nonEmptyString(payload.event_id, MAX_EVENT_ID_LENGTH)) {
    return {
      kind: 'invalid',
      reason: `payload.event_id must be a non-empty string of at most ${MAX_EVENT_ID_LENGTH} characters`,
    };
  }
  const occurredAtMs = parseIsoDateTime(payload.occurred_at);
  if (Number.isNaN(occurredAtMs)) {
    return { kind: 'invalid', reason: 'payload.occurred_at must be an ISO-8601 date-time' };
  }
  if (nestsDeeperThan(payload, MAX_PAYLOAD_DEPTH)) {
    return { kind: 'invalid', reason: `payload nests deeper than ${MAX_PAYLOAD_DEPTH} levels` };
  }
  return {
    kind: 'event',
    event: { eventId: payload.event_id, eventType: payload.event_type, occurredAtMs, payload },
  };
}
