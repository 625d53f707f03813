import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_DEPTH, parseEnvelope } from '../../../lambda/domain/envelope.ts';
import { buildEvent, loadEvent } from '../../support/apideck-events.ts';

function reasonFor(body: unknown): string | undefined {
  const result = parseEnvelope(body);
  return result.kind === 'invalid' ? result.reason : undefined;
}

describe('parseEnvelope', () => {
  it('reads a sample event: id, type, occurred_at in epoch ms and the payload', () => {
    const body = loadEvent();
    expect(parseEnvelope(body)).toEqual({
      kind: 'event',
      event: {
        eventId: '00005eed-0000-0000-0000-000000000000',
        eventType: 'vault.connection.created',
        occurredAtMs: Date.UTC(2026, 10, 26, 12, 0, 0),
        payload: body.payload,
      },
    });
  });

  it('passes extra payload fields through untouched', () => {
    const extras = {
      entity_url: 'https://unify.apideck.com/x',
      custom: { nested: [1, { a: null }] },
    };
    const result = parseEnvelope(buildEvent({ payload: extras }));
    expect(result.kind === 'event' ? result.event.payload : undefined).toMatchObject(extras);
  });

  it('returns the payload object as received, not a copy', () => {
    const body = loadEvent();
    const result = parseEnvelope(body);
    expect(result.kind === 'event' ? result.event.payload : undefined).toBe(body.payload);
  });

  it('ignores fields beside the payload', () => {
    const body = { ...loadEvent(), signature_hint: 'ignored' };
    expect(parseEnvelope(body).kind).toBe('event');
  });

  describe('not an event', () => {
    it.each([
      ['an empty object', {}],
      ['an empty payload', { payload: {} }],
      ['a payload with none of the event fields', { payload: { message: 'hello' } }],
      ['a URL-validation body', { message: 'Validating delivery URL' }],
      ['a null payload', { payload: null }],
      ['an array payload', { payload: [] }],
      ['a string payload', { payload: 'vault.connection.created' }],
      ['an array body', [{ payload: {} }]],
      ['a string body', 'hello'],
      ['a number body', 42],
      ['a null body', null],
    ])('classifies %s as not an event', (_, body) => {
      expect(parseEnvelope(body)).toEqual({ kind: 'not-an-event' });
    });
  });

  describe('a partial event', () => {
    it.each([
      [
        'event_id and occurred_at, no event_type',
        { event_id: 'e-1', occurred_at: '2026-11-26T12:00:00Z' },
      ],
      ['only event_id', { event_id: 'e-1' }],
      ['only occurred_at', { occurred_at: '2026-11-26T12:00:00Z' }],
      [
        'event_type and event_id, no occurred_at',
        { event_type: 'vault.connection.created', event_id: 'e-1' },
      ],
    ])('classifies a payload with %s as invalid, not as ignorable', (_, payload) => {
      expect(parseEnvelope({ payload }).kind).toBe('invalid');
    });
  });

  describe('event_type', () => {
    it.each([
      ['null', null],
      ['a number', 7],
      ['an empty string', ''],
      ['whitespace', '   '],
      ['an object', { name: 'vault.connection.created' }],
      ['longer than 256 characters', `vault.${'x'.repeat(251)}`],
    ])('is invalid when it is %s, with a reason naming it', (_, value) => {
      expect(reasonFor(buildEvent({ payload: { event_type: value } }))).toMatch(
        /payload\.event_type/,
      );
    });

    it('accepts a 256-character event type', () => {
      const eventType = `vault.${'x'.repeat(250)}`;
      expect(parseEnvelope(buildEvent({ payload: { event_type: eventType } })).kind).toBe('event');
    });
  });

  describe('event_id', () => {
    it('is invalid when missing, with a reason naming it', () => {
      expect(reasonFor(buildEvent({ omit: ['event_id'] }))).toMatch(/payload\.event_id/);
    });

    it.each([
      ['null', null],
      ['a number', 12345],
      ['an empty string', ''],
      ['whitespace', ' \t '],
      ['longer than 512 characters', 'e'.repeat(513)],
    ])('is invalid when it is %s, with a reason naming it', (_, value) => {
      expect(reasonFor(buildEvent({ payload: { event_id: value } }))).toMatch(/payload\.event_id/);
    });

    it('accepts a 512-character event id', () => {
      expect(parseEnvelope(buildEvent({ payload: { event_id: 'e'.repeat(512) } })).kind).toBe(
        'event',
      );
    });
  });

  describe('occurred_at', () => {
    it('is invalid when missing, with a reason naming it', () => {
      expect(reasonFor(buildEvent({ omit: ['occurred_at'] }))).toMatch(/payload\.occurred_at/);
    });

    it.each([
      ['an epoch-ms number', 1_795_694_400_000],
      ['null', null],
      ['a date without a time', '2026-11-26'],
      ['a date-time without a zone', '2026-11-26T12:00:00'],
      ['a date-time with a space separator', '2026-11-26 12:00:00Z'],
      ['an RFC 2822 date', 'Thu, 26 Nov 2026 12:00:00 GMT'],
      ['an impossible month', '2026-13-01T00:00:00Z'],
      ['an impossible hour', '2026-11-26T25:00:00Z'],
      ['surrounding whitespace', ' 2026-11-26T12:00:00Z '],
      ['a lower-case zone', '2026-11-26T12:00:00z'],
      ['a day past the end of its month', '2026-02-30T00:00:00Z'],
      ['the 31st of a 30-day month', '2026-11-31T12:00:00Z'],
      ['hour 24', '2026-11-26T24:00:00Z'],
      ['minute 60', '2026-11-26T12:60:00Z'],
    ])('is invalid when it is %s, with a reason naming it', (_, value) => {
      expect(reasonFor(buildEvent({ payload: { occurred_at: value } }))).toMatch(
        /payload\.occurred_at/,
      );
    });

    it.each([
      ['milliseconds and Z', '2026-11-26T12:00:00.000Z', Date.UTC(2026, 10, 26, 12)],
      ['no seconds', '2026-11-26T12:00Z', Date.UTC(2026, 10, 26, 12)],
      ['no fraction', '2026-11-26T12:00:00Z', Date.UTC(2026, 10, 26, 12)],
      ['an offset with a colon', '2026-11-26T13:00:00+01:00', Date.UTC(2026, 10, 26, 12)],
      ['an offset without a colon', '2026-11-26T13:00:00+0100', Date.UTC(2026, 10, 26, 12)],
      ['a negative offset', '2026-11-26T06:30:00-05:30', Date.UTC(2026, 10, 26, 12)],
      ['microseconds', '2026-11-26T12:00:00.123456Z', Date.UTC(2026, 10, 26, 12, 0, 0, 123)],
    ])('reads occurred_at with %s', (_, value, expectedMs) => {
      const result = parseEnvelope(buildEvent({ payload: { occurred_at: value } }));
      expect(result.kind === 'event' ? result.event.occurredAtMs : undefined).toBe(expectedMs);
    });
  });

  it('reads 29 February of a leap year', () => {
    const result = parseEnvelope(buildEvent({ payload: { occurred_at: '2028-02-29T00:00:00Z' } }));
    expect(result.kind).toBe('event');
  });

  it('is invalid when the payload nests deeper than the limit, with a reason saying so', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < MAX_PAYLOAD_DEPTH; level++) deep = [deep];
    expect(reasonFor(buildEvent({ payload: { entity: deep } }))).toMatch(/nests deeper/);
  });

  it('accepts a payload nested just within the limit', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < MAX_PAYLOAD_DEPTH - 2; level++) deep = [deep];
    expect(parseEnvelope(buildEvent({ payload: { entity: deep } })).kind).toBe('event');
  });

  it('counts the depth of objects and arrays only, not of the value in the deepest one', () => {
    let deep: unknown = { leaf: 'value' };
    for (let level = 0; level < MAX_PAYLOAD_DEPTH - 2; level++) deep = [deep];
    const atLimit = parseEnvelope(buildEvent({ payload: { entity: deep } })).kind;
    const overLimit = parseEnvelope(buildEvent({ payload: { entity: [deep] } })).kind;
    expect({ atLimit, overLimit }).toEqual({ atLimit: 'event', overLimit: 'invalid' });
  });

  it('checks event_type before event_id', () => {
    expect(reasonFor(buildEvent({ payload: { event_type: 1 }, omit: ['event_id'] }))).toMatch(
      /event_type/,
    );
  });
});
