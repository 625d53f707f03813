/**
 * Reads one Apideck event log entry (`WebhookEventLog`) defensively: the spec
 * leaves room, so an entry is taken for what it proves and nothing more.
 * - only entries whose `endpoint` is this receiver's URL count (an app may
 *   deliver to several receivers);
 * - `request_body` may be the envelope `{"payload":{...}}` or the bare payload;
 * - a body that is not an event (the URL-validation POST) is skipped.
 */
import { type ApideckEvent, parseEnvelope } from '../domain/envelope.ts';
import { isJsonObject } from '../domain/json-body.ts';

/** What an entry turned out to be. */
export type LogEntryReading =
  | { readonly kind: 'event'; readonly event: ApideckEvent }
  | { readonly kind: 'other-endpoint' }
  | { readonly kind: 'not-an-event' }
  | { readonly kind: 'invalid'; readonly reason: string };

/** A URL in one spelling (`HTTPS://Host/path/` and `https://host/path/` compare equal); `undefined` if not a URL. */
export function normaliseUrl(url: string): string | undefined {
  try {
    return new URL(url.trim()).href;
  } catch {
    return undefined;
  }
}

function bodyOf(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/**
 * Classifies an entry for the receiver at `webhookUrl` (already normalised by
 * {@link normaliseUrl}).
 */
export function readLogEntry(entry: unknown, webhookUrl: string): LogEntryReading {
  if (!isJsonObject(entry)) return { kind: 'invalid', reason: 'the entry is not an object' };
  if (typeof entry.endpoint !== 'string' || normaliseUrl(entry.endpoint) !== webhookUrl) {
    return { kind: 'other-endpoint' };
  }
  const body = bodyOf(entry.request_body);
  if (body === undefined) return { kind: 'invalid', reason: 'request_body is not JSON' };
  if (!isJsonObject(body)) return { kind: 'not-an-event' };
  // The envelope as sent, or the bare payload the spec's example shows.
  const envelope = isJsonObject(body.payload) ? body : { payload: body };
  const parsed = parseEnvelope(envelope);
  if (parsed.kind === 'event') return { kind: 'event', event: parsed.event };
  if (parsed.kind === 'not-an-event') return { kind: 'not-an-event' };
  return { kind: 'invalid', reason: parsed.reason };
}
