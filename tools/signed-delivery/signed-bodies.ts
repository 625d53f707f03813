/**
 * Makes the bodies `npm run send` and the reliability scenarios post, signed
 * as Apideck signs them: HMAC-SHA256 (hex) with the API key over the body with
 * every object's keys sorted, recursively (`signBody`, canonical form).
 *
 * Dating. The receiver refuses events whose `occurred_at` is older than its
 * replay window (about 6 days) and deduplicates on `event_id`, refusing a known
 * id with a different payload (422). So by default an event is re-dated to the
 * start of the current UTC day: its body is the same all day, the first send
 * publishes it and every later one, from any run, is a duplicate. `fresh`
 * makes every send a new event (new `event_id`, `occurred_at` now);
 * `keepTime` leaves `occurred_at` as in the file.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { isJsonObject, parseJsonBody } from '../../lambda/domain/json-body.ts';
import { signBody } from '../../lambda/domain/signature.ts';

/** How bodies are made from the source. */
export interface SignedBodyOptions {
  readonly key: string;
  /** Every send gets a new `event_id` and `occurred_at` now. */
  readonly fresh: boolean;
  /** Keep `occurred_at` as it is in the source. */
  readonly keepTime: boolean;
  readonly now?: () => number;
}

/** One signed request body. */
export interface SignedBody {
  readonly body: Buffer;
  readonly signature: string;
  /** `payload.event_type` / `payload.event_id`, when the body is an event. */
  readonly eventType?: string;
  readonly eventId?: string;
}

/** Makes the body of each send. */
export interface BodyFactory {
  /** What was done to the source, for the sender's first line (empty when nothing). */
  readonly notes: readonly string[];
  next(): SignedBody;
}

/** Serialised as Apideck puts a body on the wire: pretty-printed, keys in their order. */
export function wireText(body: unknown): string {
  return `${JSON.stringify(body, null, 2)}\n`;
}

function signed(text: string, key: string, payload: Record<string, unknown>): SignedBody {
  const { event_type: eventType, event_id: eventId } = payload;
  return {
    body: Buffer.from(text, 'utf8'),
    signature: signBody(text, key),
    ...(typeof eventType === 'string' ? { eventType } : {}),
    ...(typeof eventId === 'string' ? { eventId } : {}),
  };
}

/** A factory of signed bodies from a source's bytes. */
export function createBodyFactory(source: Buffer, options: SignedBodyOptions): BodyFactory {
  const now = options.now ?? Date.now;
  const parsed = parseJsonBody(source.toString('utf8'));

  if (!parsed.ok) {
    // Not JSON: sent as is, signed over the raw bytes (there is no canonical form).
    const prepared = {
      body: source,
      signature: createHmac('sha256', options.key).update(source).digest('hex'),
    };
    return { notes: ['not JSON: sent as is, signed over the raw bytes'], next: () => prepared };
  }
  const document = parsed.value;
  if (!isJsonObject(document) || !isJsonObject(document.payload)) {
    const prepared = { body: source, signature: signBody(source.toString('utf8'), options.key) };
    return { notes: ['no payload object: sent as is'], next: () => prepared };
  }
  const payload = document.payload;

  if (options.fresh) {
    return {
      notes: [
        options.keepTime
          ? 'a new event_id for each send (occurred_at kept)'
          : 'a new event_id and occurred_at now for each send',
      ],
      next: () => {
        const fresh = {
          ...payload,
          event_id: randomUUID(),
          ...(options.keepTime ? {} : { occurred_at: new Date(now()).toISOString() }),
        };
        return signed(wireText({ ...document, payload: fresh }), options.key, fresh);
      },
    };
  }

  if (options.keepTime) {
    // Unchanged: the bytes exactly as stored.
    const prepared = signed(source.toString('utf8'), options.key, payload);
    return { notes: ['sent exactly as stored (occurred_at kept)'], next: () => prepared };
  }
  // A re-dated event occurred at 00:00:00.000Z today.
  const occurredAt = `${new Date(now()).toISOString().slice(0, 10)}T00:00:00.000Z`;
  const dated = { ...payload, occurred_at: occurredAt };
  const prepared = signed(wireText({ ...document, payload: dated }), options.key, dated);
  return { notes: [`occurred_at set to ${occurredAt} (today)`], next: () => prepared };
}
