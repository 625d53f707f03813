import { describe, expect, it } from 'vitest';
import { normaliseUrl, readLogEntry } from '../../../lambda/reconcile/log-entry.ts';
import { buildEvent } from '../../support/apideck-events.ts';

const URL = 'https://hooks.example.com/prod/webhooks';

function entry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'log-1',
    endpoint: URL,
    request_body: JSON.stringify(buildEvent()),
    success: false,
    ...overrides,
  };
}

describe('readLogEntry', () => {
  it('reads an event from the envelope the spec calls "the payload delivered"', () => {
    const reading = readLogEntry(entry(), URL);
    expect(reading.kind === 'event' && reading.event.eventId).toBe(buildEvent().payload.event_id);
  });

  it('reads an event from a bare payload, as the spec example shows', () => {
    const reading = readLogEntry(
      entry({ request_body: JSON.stringify(buildEvent().payload) }),
      URL,
    );
    expect(reading.kind === 'event' && reading.event.eventType).toBe('vault.connection.created');
  });

  it('skips an entry for another receiver', () => {
    const reading = readLogEntry(entry({ endpoint: 'https://other.example.com/webhooks' }), URL);
    expect(reading.kind).toBe('other-endpoint');
  });

  it('matches the endpoint whatever the case of its scheme and host', () => {
    const reading = readLogEntry(
      entry({ endpoint: 'HTTPS://Hooks.Example.com/prod/webhooks' }),
      URL,
    );
    expect(reading.kind).toBe('event');
  });

  it('skips the URL-validation POST as not an event', () => {
    const body = JSON.stringify({ message: 'Validating delivery URL' });
    expect(readLogEntry(entry({ request_body: body }), URL).kind).toBe('not-an-event');
  });

  it('calls a request_body that is not JSON invalid', () => {
    expect(readLogEntry(entry({ request_body: '{"payload":' }), URL).kind).toBe('invalid');
  });

  it('calls an event without an event_id invalid', () => {
    const body = JSON.stringify(buildEvent({ omit: ['event_id'] }));
    expect(readLogEntry(entry({ request_body: body }), URL).kind).toBe('invalid');
  });

  it('calls an entry that is not an object invalid', () => {
    expect(readLogEntry('nope', URL).kind).toBe('invalid');
  });
});

describe('normaliseUrl', () => {
  it('returns undefined for text that is not a URL', () => {
    expect(normaliseUrl('not a url')).toBeUndefined();
  });
});
