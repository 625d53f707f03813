import { createHash } from 'node:crypto';
import { SNS_MAX_MESSAGE_BYTES } from '../contract/limits.ts';
import type { ApideckEvent } from './envelope.ts';

export { SNS_MAX_MESSAGE_BYTES };

/** The SNS message for one event: the payload as JSON, plus filterable attributes. */
export interface EventMessage {
  /** The payload as JSON: always publishable (`JSON.stringify` escapes lone surrogates). */
  readonly body: string;
  /** String message attributes whose values every subscription can carry (see {@link isCarriableAttributeValue}). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Names of attributes left out because their value could not be carried. */
  readonly droppedAttributes: readonly string[];
  /** On FIFO topics: SNS deduplicates on the id and keeps order within the group. */
  readonly fifo?: FifoIdentity;
}

/** A FIFO publish's `MessageDeduplicationId` and `MessageGroupId`. */
export interface FifoIdentity {
  readonly deduplicationId: string;
  readonly groupId: string;
}

/** What SNS accepts as a deduplication or group id: 1 to 128 printable ASCII characters. */
const SNS_FIFO_ID = /^[!-~]{1,128}$/;

/** `value` if SNS accepts it as an id, otherwise its SHA-256 (hex, 64 characters): stable across retries. */
export function snsFifoIdOf(value: string): string {
  if (SNS_FIFO_ID.test(value)) return value;
  return createHash('sha256').update(Buffer.from(value, 'utf16le')).digest('hex');
}

/** Attribute (`"true"`) on a message recovered from Apideck's event log by reconciliation. */
export const RECOVERED_ATTRIBUTE = 'recovered';

/** Longest attribute value published; longer ones are left out (filters need short values). */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 1024;

/**
 * The characters SNS passes on and SQS accepts in a message attribute are
 * XML's `Char` production: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD and the
 * astral planes. Anything else (a lone surrogate, a control character) makes
 * the SDK's serializer throw, SNS refuse the publish, or an SQS subscription
 * drop the delivery. The surrogates are checked natively (`isWellFormed`);
 * what is left outside `Char` is this class, searched without the `u` flag.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
const NOT_CARRIABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Whether SNS and every subscription type can carry `value` as a `String` attribute. */
export function isCarriableAttributeValue(value: string): boolean {
  return (
    value.length > 0 &&
    value.length <= MAX_ATTRIBUTE_VALUE_LENGTH &&
    value.isWellFormed() &&
    !NOT_CARRIABLE.test(value)
  );
}

function field(source: unknown, key: string): string | undefined {
  if (typeof source !== 'object' || source === null || !Object.hasOwn(source, key))
    return undefined;
  const value = (source as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Vault events describe the connection in `entity` (whose `service_id` is the
 * connector; the payload's own `service_id` is `apideck-vault`, the sender);
 * unified-API events carry the same facts at the top of the payload.
 */
function connectionFacts(event: ApideckEvent): unknown {
  return event.eventType.startsWith('vault.') ? event.payload.entity : event.payload;
}

/**
 * The FIFO identity of an event: deduplicated on its event id (so a publish
 * repeated within SNS's deduplication interval is delivered once), grouped by
 * its connection (`entity_id`), so events of one connection arrive in order
 * while connections proceed in parallel. An event without an `entity_id` is
 * grouped by its consumer, and one without either by its event type.
 */
export function fifoIdentityOf(event: ApideckEvent): FifoIdentity {
  const facts = connectionFacts(event);
  const group =
    nonEmpty(field(event.payload, 'entity_id')) ??
    nonEmpty(field(facts, 'consumer_id')) ??
    `type:${event.eventType}`;
  return { deduplicationId: snsFifoIdOf(event.eventId), groupId: snsFifoIdOf(group) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** How a message is built. */
export interface EventMessageOptions {
  /** The topics are FIFO topics: give the message its {@link FifoIdentity}. */
  readonly fifo?: boolean;
}

/** Builds the message published for an event. */
export function buildEventMessage(
  event: ApideckEvent,
  options: EventMessageOptions = {},
): EventMessage {
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
  const droppedAttributes: string[] = [];
  for (const [name, value] of Object.entries(candidates)) {
    // An absent or empty field is simply not there; only a value present but not carriable is dropped.
    if (value === undefined || value === '') continue;
    if (isCarriableAttributeValue(value)) attributes[name] = value;
    else droppedAttributes.push(name);
  }
  const message = { body: JSON.stringify(event.payload), attributes, droppedAttributes };
  return options.fifo === true ? { ...message, fifo: fifoIdentityOf(event) } : message;
}

/** The size SNS counts against its limit: body plus each attribute's name, type and value. */
export function messageSizeBytes(message: EventMessage): number {
  let size = Buffer.byteLength(message.body, 'utf8');
  for (const [name, value] of Object.entries(message.attributes)) {
    size += Buffer.byteLength(name, 'utf8') + 'String'.length + Buffer.byteLength(value, 'utf8');
  }
  return size;
}
