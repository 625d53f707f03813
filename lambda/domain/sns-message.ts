import type { ApideckEvent } from './envelope.ts';

/** SNS refuses messages over 256 KiB, body and attributes together. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

/** The SNS message for one event: the payload as JSON, plus filterable attributes. */
export interface EventMessage {
  readonly body: string;
  /** String message attributes; only non-empty values (SNS rejects empty ones). */
  readonly attributes: Readonly<Record<string, string>>;
}

function field(source: unknown, key: string): string | undefined {
  if (typeof source !== 'object' || source === null || !Object.hasOwn(source, key))
    return undefined;
  const value = (source as Record<string, unknown>)[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Vault events describe the connection in `entity` (whose `service_id` is the
 * connector; the payload's own `service_id` is `apideck-vault`, the sender);
 * unified-API events carry the same facts at the top of the payload.
 */
function connectionFacts(event: ApideckEvent): unknown {
  return event.eventType.startsWith('vault.') ? event.payload.entity : event.payload;
}

/** Builds the message published for an event. */
export function buildEventMessage(event: ApideckEvent): EventMessage {
  const facts = connectionFacts(event);
  const candidates: Record<string, string | undefined> = {
    event_type: event.eventType,
    event_id: event.eventId,
    entity_id: field(event.payload, 'entity_id'),
    connector: field(facts, 'service_id'),
    unified_api: field(facts, 'unified_api'),
    consumer_id: field(facts, 'consumer_id'),
  };
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(candidates)) {
    if (value !== undefined) attributes[name] = value;
  }
  return { body: JSON.stringify(event.payload), attributes };
}

/** The size SNS counts against its limit: body plus each attribute's name, type and value. */
export function messageSizeBytes(message: EventMessage): number {
  let size = Buffer.byteLength(message.body, 'utf8');
  for (const [name, value] of Object.entries(message.attributes)) {
    size += Buffer.byteLength(name, 'utf8') + 'String'.length + Buffer.byteLength(value, 'utf8');
  }
  return size;
}
