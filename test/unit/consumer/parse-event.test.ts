import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApideckEventError,
  isEventOfType,
  isVaultConnectionEvent,
  parseEvent,
  VAULT_CONNECTION_EVENT_TYPES,
} from '../../../consumer/index.ts';
import { publishedEvent, snsNotification, sqsRecord } from '../../support/consumer-records.ts';

const EVENT = publishedEvent();
const EVENT_TEXT = JSON.stringify(EVENT);

function snsRecord(message: string) {
  return {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:VaultConnectionCreated:sub',
    Sns: snsNotification(message),
  };
}

function errorOf(input: unknown): ApideckEventError {
  try {
    parseEvent(input);
  } catch (error) {
    if (error instanceof ApideckEventError) return error;
    throw error;
  }
  throw new Error('parseEvent accepted the input');
}

describe('parseEvent', () => {
  it('reads an SQS record with the event as its body (raw delivery)', () => {
    expect(parseEvent(sqsRecord({ body: EVENT_TEXT }))).toEqual(EVENT);
  });

  it('reads an SQS record whose body is an SNS notification', () => {
    expect(parseEvent(sqsRecord({ body: JSON.stringify(snsNotification(EVENT_TEXT)) }))).toEqual(
      EVENT,
    );
  });

  it('reads an SNS record of a Lambda subscription', () => {
    expect(parseEvent(snsRecord(EVENT_TEXT))).toEqual(EVENT);
  });

  it('reads an SNS notification object', () => {
    expect(parseEvent(snsNotification(EVENT_TEXT))).toEqual(EVENT);
  });

  it('reads an SNS notification as JSON text', () => {
    expect(parseEvent(JSON.stringify(snsNotification(EVENT_TEXT)))).toEqual(EVENT);
  });

  it('reads the event itself, as an object', () => {
    expect(parseEvent(EVENT)).toBe(EVENT);
  });

  it('reads the event itself, as JSON text', () => {
    expect(parseEvent(EVENT_TEXT)).toEqual(EVENT);
  });

  it.each(VAULT_CONNECTION_EVENT_TYPES)('reads the sample %s event', (type) => {
    expect(parseEvent(publishedEvent(type)).event_type).toBe(type);
  });

  it('keeps fields it does not know', () => {
    const event = { ...EVENT, added_by_apideck: { x: 1 } };
    expect(parseEvent(event)).toHaveProperty('added_by_apideck', { x: 1 });
  });

  it('reads an event of another type as the catch-all event', () => {
    const event = parseEvent({
      event_type: 'crm.contact.updated',
      event_id: 'c1',
      occurred_at: '2026-11-26T12:00:00Z',
    });
    expect(isVaultConnectionEvent(event)).toBe(false);
    expect(isEventOfType(event, 'crm.contact.updated')).toBe(true);
  });

  it('narrows a Vault connection event by its type', () => {
    const event = parseEvent(EVENT);
    const consumer =
      isVaultConnectionEvent(event) && event.event_type === 'vault.connection.created'
        ? event.entity?.consumer_id
        : undefined;
    expect(consumer).toBe('acme-user-42');
  });

  it('names the missing field', () => {
    const { event_id: _, ...event } = EVENT;
    expect(errorOf(event).message).toBe(
      'the event is not a valid Apideck event: event_id is required',
    );
  });

  it('names a field of the wrong type, with its path', () => {
    const event = { ...EVENT, entity: { ...(EVENT.entity as object), enabled: 'yes' } };
    const error = errorOf(sqsRecord({ body: JSON.stringify(event) }));
    expect(error.message).toBe(
      'the SQS record body is not a valid Apideck event: entity.enabled must be boolean, not string',
    );
    expect(error.issues).toEqual([
      { path: ['entity', 'enabled'], message: 'must be boolean, not string' },
    ]);
  });

  it('says a body is not JSON, with the syntax error as cause', () => {
    const error = errorOf(sqsRecord({ body: '{"event_id":' }));
    expect(error.message).toBe('the SQS record body is not JSON');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('says which message of a notification in an SQS body is wrong', () => {
    const body = JSON.stringify(snsNotification('[]'));
    expect(errorOf(sqsRecord({ body })).message).toBe(
      'the SNS message in the SQS record body is not a valid Apideck event: must be a JSON object, not array',
    );
  });

  it('refuses a whole Lambda event, saying to parse each record', () => {
    expect(errorOf({ Records: [sqsRecord()] }).message).toMatch(/parse each record/);
  });

  it("refuses Apideck's delivery body, saying the event is its payload", () => {
    expect(errorOf({ payload: EVENT }).message).toMatch(/the published event is its payload/);
  });

  it.each([
    ['null', null],
    ['a number', 42],
    ['an array', []],
    ['undefined', undefined],
  ])('refuses %s', (_, input) => {
    expect(errorOf(input).message).toMatch(/^expected an SQS record, an SNS record/);
  });

  it('has the name ApideckEventError', () => {
    expect(errorOf('nope').name).toBe('ApideckEventError');
  });

  it('turns a throwing getter into ApideckEventError with the cause', () => {
    const hostile = Object.defineProperty({}, 'eventSource', {
      enumerable: true,
      get() {
        throw new TypeError('gotcha');
      },
    });
    const error = errorOf(hostile);
    expect(error.message).toBe('the input could not be read');
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});

/** Inputs shaped like what parseEvent reads, with random parts. */
function nearMisses(): fc.Arbitrary<unknown> {
  const text = fc.oneof(fc.string(), fc.json(), fc.constant(EVENT_TEXT));
  const anything = fc.anything({
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withMap: true,
  });
  return fc.oneof(
    anything,
    text,
    fc.record({ eventSource: fc.constant('aws:sqs'), body: fc.oneof(text, anything) }),
    fc.record({
      EventSource: fc.constant('aws:sns'),
      Sns: fc.oneof(anything, fc.record({ Message: fc.oneof(text, anything) })),
    }),
    fc.record({ Type: fc.constant('Notification'), Message: fc.oneof(text, anything) }),
    fc.dictionary(
      fc.constantFrom('event_id', 'event_type', 'occurred_at', 'entity', 'payload', 'Records'),
      anything,
    ),
  );
}

describe('parseEvent on any input', () => {
  it('returns an event or throws ApideckEventError, never anything else', () => {
    fc.assert(
      fc.property(nearMisses(), (input) => {
        try {
          const event = parseEvent(input);
          expect(typeof event.event_id).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(ApideckEventError);
          expect((error as ApideckEventError).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
