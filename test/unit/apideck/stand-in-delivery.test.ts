import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../../lambda/domain/time.ts';
import { ManualClock } from '../../../tools/apideck/clock.ts';
import { RETRY_DELAYS_MS } from '../../../tools/apideck/retry-schedule.ts';
import { apideckSignature } from '../../../tools/apideck/signing.ts';
import {
  ApideckStandIn,
  VALIDATION_BODY,
  VALIDATION_EVENT_TYPE,
} from '../../../tools/apideck/stand-in.ts';
import {
  buildEvent,
  loadEvent,
  loadSigningVector,
  VECTOR_KEY,
} from '../../support/apideck-events.ts';
import {
  type RecordingEndpoint,
  startRecordingEndpoint,
} from '../../support/recording-endpoint.ts';

const START_MS = Date.parse('2026-11-30T00:00:00.000Z');
let endpoint: RecordingEndpoint;
let clock: ManualClock;

function standIn(options: Partial<ConstructorParameters<typeof ApideckStandIn>[0]> = {}) {
  return new ApideckStandIn({ applicationId: 'app-1', apiKey: VECTOR_KEY, clock, ...options });
}

async function subscribed(instance: ApideckStandIn) {
  return instance.createWebhook({
    unified_api: 'vault',
    status: 'enabled',
    delivery_url: endpoint.url,
    events: ['*'],
  });
}

function hmacHex(body: string, key: string): string {
  return createHmac('sha256', key).update(body).digest('hex');
}

beforeEach(async () => {
  endpoint = await startRecordingEndpoint();
  clock = new ManualClock(START_MS);
});

afterEach(async () => {
  await endpoint.close();
});

describe('apideckSignature', () => {
  it('matches the shared signing vector', () => {
    const vector = loadSigningVector();
    expect(apideckSignature(loadEvent(), vector.key)).toBe(vector.hmac_sha256_hex_of_canonical);
  });
});

describe('ApideckStandIn subscriptions', () => {
  it('sends a signed validation POST when a subscription is created', async () => {
    await subscribed(standIn());
    const [request] = endpoint.requests;
    expect(request?.headers['x-apideck-event-type']).toBe(VALIDATION_EVENT_TYPE);
    expect(JSON.parse(request?.body ?? '')).toEqual(VALIDATION_BODY);
    expect(request?.headers['x-apideck-signature']).toBe(
      hmacHex(JSON.stringify(VALIDATION_BODY), VECTOR_KEY),
    );
  });

  it('enables a subscription whose URL answers the validation with a 2xx', async () => {
    const webhook = await subscribed(standIn());
    expect([webhook.status, webhook.disabled_reason]).toEqual(['enabled', 'none']);
  });

  it('disables a subscription whose URL fails the validation', async () => {
    endpoint.answerWith(401);
    const webhook = await subscribed(standIn());
    expect([webhook.status, webhook.disabled_reason]).toEqual([
      'disabled',
      'delivery_url_validation_failed',
    ]);
  });

  it('validates again when the URL changes', async () => {
    const instance = standIn();
    const webhook = await subscribed(instance);
    endpoint.answerWith(500);
    const updated = await instance.updateWebhook(webhook.id, {
      delivery_url: `${endpoint.url}?v=2`,
    });
    expect([endpoint.requests.length, updated?.status, updated?.disabled_reason]).toEqual([
      2,
      'disabled',
      'delivery_url_validation_failed',
    ]);
  });

  it('validates again when a disabled subscription is enabled', async () => {
    const instance = standIn();
    endpoint.answerWith(500);
    const webhook = await subscribed(instance);
    endpoint.answerWith(200);
    const updated = await instance.updateWebhook(webhook.id, { status: 'enabled' });
    expect([updated?.status, updated?.disabled_reason]).toEqual(['enabled', 'none']);
  });
});

describe('ApideckStandIn delivery', () => {
  it('posts the envelope with the event type, idempotency key and signature headers', async () => {
    const instance = standIn();
    await subscribed(instance);
    const event = buildEvent();
    await instance.emit(event.payload);
    const request = endpoint.requests[1];
    const body = JSON.parse(request?.body ?? '') as { payload: Record<string, unknown> };
    expect({
      type: request?.headers['x-apideck-event-type'],
      key: typeof request?.headers['x-apideck-idempotency-key'],
      signature: request?.headers['x-apideck-signature'],
      attempt: body.payload.execution_attempt,
    }).toEqual({
      type: event.payload.event_type,
      key: 'string',
      signature: apideckSignature(body, VECTOR_KEY),
      attempt: 1,
    });
  });

  it('delivers nothing to a subscription of another event type', async () => {
    const instance = standIn();
    await instance.createWebhook({
      unified_api: 'vault',
      status: 'enabled',
      delivery_url: endpoint.url,
      events: ['vault.connection.deleted'],
    });
    await instance.emit(buildEvent({ type: 'vault.connection.created' }).payload);
    expect(endpoint.requests).toHaveLength(1);
  });

  it('retries on the schedule inside the time-to-live, then disables at the retry limit', async () => {
    const instance = standIn();
    const webhook = await subscribed(instance);
    endpoint.answerWith(503);
    await instance.emit(buildEvent().payload);
    await clock.runAll();
    const offsets = instance.attempts
      .filter((attempt) => attempt.eventId !== undefined)
      .map((attempt) => (attempt.atMs - START_MS) / MINUTE_MS);
    // 3+5+10+30+60+120+240+480 minutes: the 12 h retry would land at 27 h 48 min, past the 24 h TTL.
    expect(offsets).toEqual([0, 3, 8, 18, 48, 108, 228, 468, 948]);
    expect(instance.getWebhook(webhook.id)?.disabled_reason).toBe('retry_limit');
  });

  it('sends every retry of the full schedule when the time-to-live allows it', async () => {
    const instance = standIn({ timeToLiveMs: 48 * 60 * MINUTE_MS });
    await subscribed(instance);
    endpoint.answerWith(503);
    await instance.emit(buildEvent().payload);
    await clock.runAll();
    const attempts = instance.attempts.filter((attempt) => attempt.eventId !== undefined);
    expect(attempts.map((a) => a.executionAttempt)).toEqual(
      Array.from({ length: RETRY_DELAYS_MS.length + 1 }, (_, i) => i + 1),
    );
  });

  it('stops retrying once an attempt succeeds', async () => {
    const instance = standIn();
    const webhook = await subscribed(instance);
    endpoint.answerWith(503);
    await instance.emit(buildEvent().payload);
    await clock.advance(3 * MINUTE_MS);
    endpoint.answerWith(200);
    await clock.runAll();
    const attempts = instance.attempts.filter((attempt) => attempt.eventId !== undefined);
    expect([attempts.map((a) => a.success), instance.getWebhook(webhook.id)?.status]).toEqual([
      [false, false, true],
      'enabled',
    ]);
  });

  it('drops the pending retries of a subscription disabled by the retry limit', async () => {
    const instance = standIn();
    await subscribed(instance);
    endpoint.answerWith(503);
    await instance.emit(buildEvent({ payload: { event_id: 'first' } }).payload);
    await clock.advance(60 * MINUTE_MS);
    await instance.emit(buildEvent({ payload: { event_id: 'second' } }).payload);
    await clock.runAll();
    const [latest] = instance.eventLog().filter((e) => e.request_body.includes('"second"'));
    expect([latest?.execution_attempt, latest?.retry_scheduled]).toEqual([8, false]);
  });

  it('signs with the new key once the API key is rotated', async () => {
    const instance = standIn();
    await subscribed(instance);
    instance.rotateApiKey('sk_test_rotated');
    await instance.emit(buildEvent().payload);
    const request = endpoint.requests[1];
    expect(request?.headers['x-apideck-signature']).toBe(
      apideckSignature(JSON.parse(request?.body ?? ''), 'sk_test_rotated'),
    );
  });
});

describe('ApideckStandIn event log', () => {
  it('writes one entry per attempt by default', async () => {
    const instance = standIn();
    await subscribed(instance);
    endpoint.answerWith(503);
    await instance.emit(buildEvent().payload);
    await clock.advance(8 * MINUTE_MS);
    const entries = instance.eventLog().filter((e) => e.event_type !== VALIDATION_EVENT_TYPE);
    expect(entries.map((e) => [e.execution_attempt, e.attempts.length])).toEqual([
      [3, 1],
      [2, 1],
      [1, 1],
    ]);
  });

  it('keeps one entry per event with every attempt when told to', async () => {
    const instance = standIn({ logStyle: { entries: 'per-event' } });
    await subscribed(instance);
    endpoint.answerWith(503);
    await instance.emit(buildEvent().payload);
    await clock.advance(8 * MINUTE_MS);
    const entries = instance.eventLog().filter((e) => e.event_type !== VALIDATION_EVENT_TYPE);
    expect(entries.map((e) => e.attempts.map((a) => a.execution_attempt))).toEqual([[1, 2, 3]]);
  });

  it('logs the bare payload as request_body when told to', async () => {
    const instance = standIn({ logStyle: { requestBody: 'payload' } });
    await subscribed(instance);
    const event = buildEvent();
    await instance.emit(event.payload);
    const [entry] = instance.eventLog().filter((e) => e.event_type !== VALIDATION_EVENT_TYPE);
    expect(JSON.parse(entry?.request_body ?? '')).toEqual({
      ...event.payload,
      execution_attempt: 1,
    });
  });

  it('logs the validation POST with its own event type', async () => {
    const instance = standIn();
    await subscribed(instance);
    expect(instance.eventLog().map((entry) => entry.event_type)).toEqual([VALIDATION_EVENT_TYPE]);
  });
});
