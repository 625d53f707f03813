import { describe, expect, it } from 'vitest';
import type { DeliveryOutcome } from '../../../lambda/domain/delivery-outcome.ts';
import { IdempotencyStoreError } from '../../../lambda/errors.ts';
import {
  internalErrorResponse,
  toHttpResponse,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
} from '../../../lambda/http/responses.ts';
import { buildEvent, loadSigningVector } from '../../support/apideck-events.ts';
import {
  DELIVERY_OUTCOME_EXAMPLES,
  eventOf,
  isDeliveryOutcome,
  outcomeExample,
} from '../../support/delivery-outcomes.ts';

const vector = loadSigningVector();

function deliveryExample(name: string): DeliveryOutcome {
  const outcome = outcomeExample(name);
  if (!isDeliveryOutcome(outcome)) throw new TypeError(`${name} is not a delivery outcome`);
  return outcome;
}

function bodyOf(outcome: DeliveryOutcome): Record<string, unknown> {
  return JSON.parse(toHttpResponse(outcome).body);
}

describe('toHttpResponse', () => {
  it.each([
    ['published', 200, 'published'],
    ['published, unrouted', 200, 'published'],
    ['published, completion failed', 200, 'published'],
    ['duplicate', 200, 'duplicate'],
    ['ignored', 200, 'ignored'],
    ['invalid-json', 400, 'invalid_json'],
    ['invalid-envelope', 400, 'invalid_envelope'],
    ['signature missing', 401, 'unauthorized'],
    ['signature mismatch', 401, 'unauthorized'],
    ['in-progress', 409, 'in_progress'],
    ['body too large', 413, 'too_large'],
    ['message too large', 413, 'too_large'],
    ['payload-conflict', 422, 'payload_conflict'],
    ['replay too old', 422, 'outside_replay_window'],
    ['replay in future', 422, 'outside_replay_window'],
    ['keys unavailable', 503, 'unavailable'],
    ['store unavailable', 503, 'unavailable'],
    ['publish failed', 503, 'unavailable'],
    ['publish and release failed', 503, 'unavailable'],
  ])('answers %s with %i and status "%s"', (name, statusCode, status) => {
    const response = toHttpResponse(deliveryExample(name));
    expect({ statusCode: response.statusCode, status: JSON.parse(response.body).status }).toEqual({
      statusCode,
      status,
    });
  });

  it.each(DELIVERY_OUTCOME_EXAMPLES.map(([name]) => name))(
    'answers %s with a JSON content type and no caching',
    (name) => {
      expect(toHttpResponse(deliveryExample(name)).headers).toMatchObject({
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
    },
  );

  it('echoes the event id of a published event', () => {
    expect(bodyOf(deliveryExample('published')).event_id).toBe(
      '00005eed-0000-0000-0000-000000000000',
    );
  });

  it('echoes the event id of a duplicate', () => {
    expect(bodyOf(deliveryExample('duplicate')).event_id).toBe(
      '00005eed-0000-0000-0000-000000000000',
    );
  });

  it('asks to retry a 409 after the remaining lease', () => {
    expect(toHttpResponse(deliveryExample('in-progress')).headers).toMatchObject({
      'retry-after': '17',
    });
  });

  it.each(['keys unavailable', 'store unavailable', 'publish failed'])(
    'asks to retry a 503 (%s) after a fixed delay',
    (name) => {
      expect(toHttpResponse(deliveryExample(name)).headers).toMatchObject({
        'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS),
      });
    },
  );

  it.each(
    DELIVERY_OUTCOME_EXAMPLES.filter(
      ([, outcome]) => !['in-progress', 'unavailable'].includes(outcome.kind),
    ).map(([name]) => name),
  )('sends no Retry-After for %s', (name) => {
    expect(toHttpResponse(deliveryExample(name)).headers).not.toHaveProperty('retry-after');
  });

  it('gives the reason of an invalid envelope', () => {
    expect(bodyOf(deliveryExample('invalid-envelope')).reason).toBe(
      'payload.occurred_at must be an ISO-8601 date-time',
    );
  });

  it('tells a too-old event from a future one', () => {
    expect([
      bodyOf(deliveryExample('replay too old')).reason,
      bodyOf(deliveryExample('replay in future')).reason,
    ]).toEqual([expect.stringMatching(/older/), expect.stringMatching(/future/)]);
  });

  it('gives the limit of a too-large body', () => {
    expect(bodyOf(deliveryExample('body too large'))).toMatchObject({
      reason: 'body too large',
      limit_bytes: 262_144,
    });
  });

  it('tells an event too large for SNS from a body too large', () => {
    expect(bodyOf(deliveryExample('message too large')).reason).toBe('event too large for SNS');
  });

  it('never reveals the key, the signature, the payload or an internal error message', () => {
    // Outcomes carrying the secrets where a careless mapping could pick them up.
    const event = eventOf(
      buildEvent({
        payload: { entity: { secret: vector.key, sig: vector.hmac_sha256_hex_of_canonical } },
      }),
    );
    const error = new IdempotencyStoreError(
      `failed with ${vector.key} ${vector.hmac_sha256_hex_of_canonical}`,
    );
    const outcomes: DeliveryOutcome[] = [
      {
        kind: 'published',
        event,
        route: { topicArn: 'arn:aws:sns:x', routed: true },
        messageId: 'm',
        completed: false,
        completionError: error,
        droppedAttributes: [],
        recovered: false,
      },
      { kind: 'duplicate', event },
      { kind: 'in-progress', event, retryAfterSeconds: 3 },
      { kind: 'payload-conflict', event },
      { kind: 'too-large', limitBytes: 1, sizeBytes: 2, event },
      { kind: 'replay-refused', event, verdict: 'too-old' },
      {
        kind: 'unavailable',
        dependency: 'DynamoDB',
        error,
        event,
        publishFailed: true,
        publishUncertain: false,
        releaseFailed: true,
      },
    ];
    const bodies = outcomes.map((outcome) => toHttpResponse(outcome).body).join('\n');
    expect(
      [vector.key, vector.hmac_sha256_hex_of_canonical, 'failed with', 'Salesforce'].filter(
        (secret) => bodies.includes(secret),
      ),
    ).toEqual([]);
  });
});

describe('internalErrorResponse', () => {
  it('answers 500 with status "error" and nothing else of substance', () => {
    const response = internalErrorResponse();
    expect({ statusCode: response.statusCode, body: JSON.parse(response.body) }).toEqual({
      statusCode: 500,
      body: { status: 'error', reason: 'internal error' },
    });
  });
});
