import { describe, expect, it } from 'vitest';
import type { ApideckEvent } from '../../../lambda/domain/envelope.ts';
import { parseEnvelope } from '../../../lambda/domain/envelope.ts';
import {
  buildEventMessage,
  isCarriableAttributeValue,
  MAX_ATTRIBUTE_VALUE_LENGTH,
  messageSizeBytes,
  SNS_MAX_MESSAGE_BYTES,
  snsFifoIdOf,
} from '../../../lambda/domain/sns-message.ts';
import { buildEvent, buildUnifiedEvent, type EventBody } from '../../support/apideck-events.ts';

function eventOf(body: EventBody): ApideckEvent {
  const result = parseEnvelope(body);
  if (result.kind !== 'event') throw new Error(`fixture is not an event: ${result.kind}`);
  return result.event;
}

const vaultEntity = buildEvent().payload.entity as Record<string, unknown>;

describe('buildEventMessage', () => {
  it('publishes the payload as compact JSON', () => {
    const event = eventOf(buildEvent());
    expect(JSON.parse(buildEventMessage(event).body)).toEqual(event.payload);
  });

  it('publishes the payload only, not the envelope', () => {
    const event = eventOf(buildEvent());
    expect(buildEventMessage(event).body).toBe(JSON.stringify(event.payload));
  });

  it('takes connector, unified_api and consumer_id of a Vault event from its entity', () => {
    expect(buildEventMessage(eventOf(buildEvent())).attributes).toEqual({
      event_type: 'vault.connection.created',
      event_id: '00005eed-0000-0000-0000-000000000000',
      entity_id: 'crm+salesforce',
      connector: 'salesforce',
      unified_api: 'crm',
      consumer_id: 'acme-user-42',
    });
  });

  it('never uses the Vault sender service_id (apideck-vault) as the connector', () => {
    const event = eventOf(
      buildEvent({ payload: { entity: { ...vaultEntity, service_id: undefined } } }),
    );
    expect(buildEventMessage(event).attributes).not.toHaveProperty('connector');
  });

  it('takes connector, unified_api and consumer_id of a unified event from the top level', () => {
    expect(buildEventMessage(eventOf(buildUnifiedEvent())).attributes).toEqual({
      event_type: 'crm.contact.updated',
      event_id: '9755c355-56c3-4a2f-a2da-86ff4411fccb',
      entity_id: '12345',
      connector: 'hubspot',
      unified_api: 'crm',
      consumer_id: 'acme-user-42',
    });
  });

  it('omits attributes whose value is empty', () => {
    const event = eventOf(buildUnifiedEvent({ entity_id: '', service_id: '', consumer_id: '' }));
    expect(Object.keys(buildEventMessage(event).attributes).sort()).toEqual([
      'event_id',
      'event_type',
      'unified_api',
    ]);
  });

  it('omits attributes whose value is missing or not a string', () => {
    const event = eventOf(
      buildUnifiedEvent({
        entity_id: 12345,
        service_id: null,
        unified_api: undefined,
        consumer_id: {},
      }),
    );
    expect(Object.keys(buildEventMessage(event).attributes).sort()).toEqual([
      'event_id',
      'event_type',
    ]);
  });

  it('omits the connection attributes of a Vault event without an entity', () => {
    const event = eventOf(buildEvent({ omit: ['entity'] }));
    expect(Object.keys(buildEventMessage(event).attributes).sort()).toEqual([
      'entity_id',
      'event_id',
      'event_type',
    ]);
  });

  it('omits the connection attributes of a Vault event whose entity is not an object', () => {
    const event = eventOf(buildEvent({ payload: { entity: 'crm+salesforce' } }));
    expect(buildEventMessage(event).attributes).not.toHaveProperty('connector');
  });

  it('reads only own fields, never inherited ones', () => {
    const event = eventOf(buildUnifiedEvent({ consumer_id: undefined }));
    const payloadWithProto = Object.create({ consumer_id: 'inherited' }) as Record<string, unknown>;
    Object.assign(payloadWithProto, event.payload);
    delete payloadWithProto.consumer_id;
    expect(
      buildEventMessage({ ...event, payload: payloadWithProto }).attributes,
    ).not.toHaveProperty('consumer_id');
  });
});

describe('messageSizeBytes', () => {
  it('counts the body and each attribute name, type ("String") and value', () => {
    expect(
      messageSizeBytes({ body: 'abcd', attributes: { k: 'vv', kk: 'v' }, droppedAttributes: [] }),
    ).toBe(4 + (1 + 6 + 2) + (2 + 6 + 1));
  });

  it('counts multi-byte UTF-8 characters by their bytes', () => {
    // "é" is 2 bytes, "€" 3 and "😀" 4 in UTF-8.
    expect(messageSizeBytes({ body: 'é€😀', attributes: { ñ: '😀' }, droppedAttributes: [] })).toBe(
      2 + 3 + 4 + (2 + 6 + 4),
    );
  });

  it('counts a message without attributes as its body', () => {
    expect(messageSizeBytes({ body: '{"a":1}', attributes: {}, droppedAttributes: [] })).toBe(7);
  });

  it('names the SNS limit of 256 KiB', () => {
    expect(SNS_MAX_MESSAGE_BYTES).toBe(256 * 1024);
  });
});

describe('buildEventMessage with values SNS cannot carry', () => {
  function withEntity(changes: Record<string, unknown>): ApideckEvent {
    return eventOf(buildEvent({ payload: { entity: { ...vaultEntity, ...changes } } }));
  }

  it.each([
    ['a lone high surrogate', 'user-\ud83d'],
    ['a lone low surrogate', 'user-\udc00'],
    ['a NUL character', 'user-\u0000'],
    ['a control character', 'user-\u001b[31m'],
    ['the noncharacter U+FFFF', 'user-\uffff'],
    ['a value longer than the attribute limit', 'u'.repeat(MAX_ATTRIBUTE_VALUE_LENGTH + 1)],
  ])('leaves out consumer_id holding %s and names it', (_, value) => {
    const message = buildEventMessage(withEntity({ consumer_id: value }));
    expect({
      has: 'consumer_id' in message.attributes,
      dropped: message.droppedAttributes,
    }).toEqual({ has: false, dropped: ['consumer_id'] });
  });

  it("carries exactly the characters of XML's Char production, code unit by code unit", () => {
    const xmlChar = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]+$/u;
    const disagreements: number[] = [];
    for (let unit = 0; unit <= 0xffff; unit++) {
      const value = `a${String.fromCharCode(unit)}b`;
      if (isCarriableAttributeValue(value) !== xmlChar.test(value)) disagreements.push(unit);
    }
    expect(disagreements).toEqual([]);
  });

  it('carries a character of an astral plane (a well-formed surrogate pair)', () => {
    expect(isCarriableAttributeValue('\u{1F600}\u{10FFFF}')).toBe(true);
  });

  it('keeps a value with tabs, newlines, emoji and non-Latin text', () => {
    const value = 'a\tb\nc 😀 Ünïcödé 日本';
    expect(buildEventMessage(withEntity({ consumer_id: value })).attributes.consumer_id).toBe(
      value,
    );
  });

  it('leaves an empty value out without counting it as dropped', () => {
    const message = buildEventMessage(withEntity({ consumer_id: '' }));
    expect({
      has: 'consumer_id' in message.attributes,
      dropped: message.droppedAttributes,
    }).toEqual({ has: false, dropped: [] });
  });

  it('publishes the body of an event with a lone surrogate as well-formed JSON that keeps it', () => {
    const event = withEntity({ consumer_id: 'user-\ud83d' });
    const { body } = buildEventMessage(event);
    expect({ ascii: body.includes('\\ud83d'), roundTrip: JSON.parse(body) }).toEqual({
      ascii: true,
      roundTrip: event.payload,
    });
  });
});

describe('buildEventMessage on FIFO topics', () => {
  it('has no FIFO identity on standard topics', () => {
    expect(buildEventMessage(eventOf(buildEvent())).fifo).toBeUndefined();
  });

  it('deduplicates on the event id and groups by the connection (entity_id)', () => {
    expect(buildEventMessage(eventOf(buildEvent()), { fifo: true }).fifo).toEqual({
      deduplicationId: '00005eed-0000-0000-0000-000000000000',
      groupId: 'crm+salesforce',
    });
  });

  it('groups an event without an entity_id by its consumer', () => {
    const event = eventOf(buildUnifiedEvent({ entity_id: undefined }));
    expect(buildEventMessage(event, { fifo: true }).fifo?.groupId).toBe('acme-user-42');
  });

  it('groups an event without entity_id or consumer_id by its event type', () => {
    const event = eventOf(buildUnifiedEvent({ entity_id: undefined, consumer_id: undefined }));
    expect(buildEventMessage(event, { fifo: true }).fifo?.groupId).toBe('type:crm.contact.updated');
  });

  it.each([
    ['longer than 128 characters', 'e'.repeat(129)],
    ['with a space', 'evt 1'],
    ['with non-ASCII text', 'évènement'],
  ])('hashes an event id %s into an id SNS accepts, the same on every retry', (_, eventId) => {
    const id = () =>
      buildEventMessage(eventOf(buildEvent({ payload: { event_id: eventId } })), { fifo: true })
        .fifo?.deduplicationId;
    expect({ id: id(), again: id() }).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{64}$/),
      again: id(),
    });
  });
});

describe('snsFifoIdOf', () => {
  it('keeps printable ASCII up to 128 characters', () => {
    expect(snsFifoIdOf('a!~Z9')).toBe('a!~Z9');
  });
});
