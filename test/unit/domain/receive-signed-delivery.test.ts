import { describe, expect, it, vi } from 'vitest';
import {
  CATCH_ALL_ROUTE,
  VAULT_CONNECTION_EVENT_TYPES,
} from '../../../lambda/contract/event-catalogue.ts';
import type { DeliveryOutcome } from '../../../lambda/domain/delivery-outcome.ts';
import { payloadFingerprint } from '../../../lambda/domain/fingerprint.ts';
import { newClaimRecord } from '../../../lambda/domain/idempotency.ts';
import { SNS_MAX_MESSAGE_BYTES } from '../../../lambda/domain/sns-message.ts';
import {
  IdempotencyStoreError,
  PublishError,
  SigningKeysUnavailableError,
} from '../../../lambda/errors.ts';
import {
  buildEvent,
  buildUnifiedEvent,
  type EventBody,
  loadEvent,
  loadEventText,
  signHex,
  VECTOR_KEY,
  wireText,
} from '../../support/apideck-events.ts';
import {
  createDeliveryHarness,
  DEFAULT_POLICY,
  type DeliveryHarness,
  deliveryRequest,
  KEY_REFRESH_INTERVAL_MS,
  REMAINING_TIME_MS,
  signedDeliveryRequest,
  topicArnFor,
} from '../../support/delivery-harness.ts';

const SAMPLE = loadEvent();
const EVENT_ID = '00005eed-0000-0000-0000-000000000000';
const OCCURRED_AT_MS = Date.parse('2026-11-26T12:00:00.000Z');

/** Delivers `body` as on the wire, signed over the canonical form with `key`. */
function deliver(
  harness: DeliveryHarness,
  body: EventBody | string = SAMPLE,
  key: string = VECTOR_KEY,
): Promise<DeliveryOutcome> {
  const text = typeof body === 'string' ? body : wireText(body);
  return harness.receive(deliveryRequest(text, signHex(text, key)));
}

/** What the fakes saw: nothing at all, for requests that must not get past verification. */
function sideEffects(harness: DeliveryHarness) {
  return {
    storeCalls: harness.store.calls.length,
    records: harness.store.size,
    publishAttempts: harness.publisher.attempts,
  };
}

const NO_SIDE_EFFECTS = { storeCalls: 0, records: 0, publishAttempts: 0 };

/** Seeds the record an earlier delivery of `body` left behind, claimed `agoMs` ago. */
function seedClaim(
  harness: DeliveryHarness,
  body: EventBody,
  options: { agoMs?: number; leaseMs?: number; status?: 'IN_PROGRESS' | 'COMPLETED' } = {},
): void {
  const nowMs = harness.clock.now() - (options.agoMs ?? 1_000);
  const record = newClaimRecord({
    eventId: String(body.payload.event_id),
    eventType: String(body.payload.event_type),
    fingerprint: payloadFingerprint(body.payload),
    nowMs,
    leaseMs: options.leaseMs ?? 35_000,
    retentionMs: harness.policy.retentionMs,
    claimToken: 'earlier-delivery',
  });
  harness.store.put({ ...record, status: options.status ?? 'IN_PROGRESS' });
}

describe('createDeliveryReceiver', () => {
  describe('published', () => {
    it('publishes a validly signed event and reports it published and completed', async () => {
      const harness = createDeliveryHarness();
      expect(await deliver(harness)).toMatchObject({
        kind: 'published',
        event: { eventId: EVENT_ID, eventType: 'vault.connection.created' },
        route: { topicArn: topicArnFor('vault.connection.created'), routed: true },
        messageId: harness.publisher.published[0]?.messageId,
        completed: true,
      });
    });

    it('publishes the message once, to the type topic, with the payload and its attributes', async () => {
      const harness = createDeliveryHarness();
      await deliver(harness);
      expect(harness.publisher.published).toEqual([
        {
          topicArn: topicArnFor('vault.connection.created'),
          message: {
            body: JSON.stringify(SAMPLE.payload),
            attributes: {
              event_type: 'vault.connection.created',
              event_id: EVENT_ID,
              entity_id: 'crm+salesforce',
              connector: 'salesforce',
              unified_api: 'crm',
              consumer_id: 'acme-user-42',
            },
            droppedAttributes: [],
          },
          messageId: expect.any(String),
        },
      ]);
    });

    it('claims, then publishes, then completes', async () => {
      const harness = createDeliveryHarness();
      const claim = vi.spyOn(harness.store, 'claim');
      const publish = vi.spyOn(harness.publisher, 'publish');
      const complete = vi.spyOn(harness.store, 'complete');
      await deliver(harness);
      const order = [claim, publish, complete].map((spy) => spy.mock.invocationCallOrder);
      expect(order).toEqual([[expect.any(Number)], [expect.any(Number)], [expect.any(Number)]]);
      expect(order.flat()).toEqual([...order.flat()].sort((a, b) => a - b));
    });

    it('leaves a COMPLETED record with the SNS message id under the claim token', async () => {
      const harness = createDeliveryHarness();
      await deliver(harness);
      expect(harness.store.get(EVENT_ID)).toMatchObject({
        status: 'COMPLETED',
        claimToken: harness.claimTokens[0],
        messageId: harness.publisher.published[0]?.messageId,
        fingerprint: payloadFingerprint(SAMPLE.payload),
        eventType: 'vault.connection.created',
      });
    });

    it('leases the claim for the remaining invocation time plus the lease margin', async () => {
      const harness = createDeliveryHarness();
      const claimedAt = harness.clock.now();
      await deliver(harness);
      const claim = harness.store.calls.find((call) => call.operation === 'claim');
      expect(claim?.operation === 'claim' ? claim.record.leaseExpiresAtMs : undefined).toBe(
        claimedAt + REMAINING_TIME_MS + DEFAULT_POLICY.leaseMarginMs,
      );
    });

    it('keeps the record for the retention period', async () => {
      const harness = createDeliveryHarness();
      const claimedAt = harness.clock.now();
      await deliver(harness);
      expect(harness.store.get(EVENT_ID)?.expiresAtSeconds).toBe(
        Math.ceil((claimedAt + DEFAULT_POLICY.retentionMs) / 1000),
      );
    });

    it.each(VAULT_CONNECTION_EVENT_TYPES)(
      'publishes the %s sample, signed as on the wire, to its own topic',
      async (type) => {
        const harness = createDeliveryHarness();
        const text = loadEventText(type);
        const outcome = await harness.receive(signedDeliveryRequest(text));
        expect(outcome.kind === 'published' ? outcome.route : outcome.kind).toEqual({
          topicArn: topicArnFor(type),
          routed: true,
        });
      },
    );

    it('publishes a type without a topic of its own to the catch-all topic, not routed', async () => {
      const harness = createDeliveryHarness();
      const outcome = await deliver(harness, buildUnifiedEvent());
      expect(outcome.kind === 'published' ? outcome.route : outcome.kind).toEqual({
        topicArn: topicArnFor(CATCH_ALL_ROUTE),
        routed: false,
      });
    });

    it('accepts a body signed over its raw bytes', async () => {
      const harness = createDeliveryHarness();
      const text = loadEventText();
      const outcome = await harness.receive(
        deliveryRequest(text, signHex(text, VECTOR_KEY, 'raw')),
      );
      expect(outcome.kind).toBe('published');
    });

    it('accepts a base64 signature', async () => {
      const harness = createDeliveryHarness();
      const text = loadEventText();
      const base64 = Buffer.from(signHex(text), 'hex').toString('base64');
      expect((await harness.receive(deliveryRequest(text, base64))).kind).toBe('published');
    });

    it('takes over an abandoned claim of the same payload once its lease ran out', async () => {
      const harness = createDeliveryHarness();
      seedClaim(harness, SAMPLE, { agoMs: 40_000, leaseMs: 35_000 });
      expect((await deliver(harness, buildEvent({ payload: { execution_attempt: 2 } }))).kind).toBe(
        'published',
      );
    });

    it('publishes again once an earlier record outlived its retention', async () => {
      const harness = createDeliveryHarness();
      seedClaim(harness, SAMPLE, {
        status: 'COMPLETED',
        agoMs: DEFAULT_POLICY.retentionMs + 1_000,
      });
      expect((await deliver(harness)).kind).toBe('published');
    });

    it('claims again when the record in the way vanished before it could be read', async () => {
      const harness = createDeliveryHarness();
      vi.spyOn(harness.store, 'claim').mockResolvedValueOnce({
        claimed: false,
        existing: undefined,
      });
      expect((await deliver(harness)).kind).toBe('published');
    });
  });

  describe('duplicate', () => {
    it('reports a retry of a published event as a duplicate', async () => {
      const harness = createDeliveryHarness();
      await deliver(harness);
      expect(
        await deliver(harness, buildEvent({ payload: { execution_attempt: 2 } })),
      ).toMatchObject({ kind: 'duplicate', event: { eventId: EVENT_ID } });
    });

    it('publishes a retried event only once', async () => {
      const harness = createDeliveryHarness();
      await deliver(harness);
      await deliver(harness, buildEvent({ payload: { execution_attempt: 2 } }));
      await deliver(harness, buildEvent({ payload: { execution_attempt: 3 } }));
      expect(harness.publisher.attempts).toBe(1);
    });
  });

  describe('in-progress', () => {
    it('refuses a delivery while another holds a live claim, retry after the lease', async () => {
      const harness = createDeliveryHarness();
      seedClaim(harness, SAMPLE, { agoMs: 5_000, leaseMs: 35_000 });
      expect(await deliver(harness)).toMatchObject({
        kind: 'in-progress',
        event: { eventId: EVENT_ID },
        retryAfterSeconds: 30,
      });
    });

    it('refuses a concurrent delivery while the first one is still publishing', async () => {
      const harness = createDeliveryHarness();
      let releasePublish: (messageId: string) => void = () => undefined;
      vi.spyOn(harness.publisher, 'publish').mockImplementationOnce(
        () =>
          new Promise<string>((resolve) => {
            releasePublish = resolve;
          }),
      );
      const first = deliver(harness);
      await vi.waitFor(() => expect(harness.store.size).toBe(1));
      const second = await deliver(harness, buildEvent({ payload: { execution_attempt: 2 } }));
      releasePublish('first-message-id');
      expect({ first: (await first).kind, second }).toMatchObject({
        first: 'published',
        second: {
          kind: 'in-progress',
          retryAfterSeconds: (REMAINING_TIME_MS + DEFAULT_POLICY.leaseMarginMs) / 1000,
        },
      });
    });

    it('does not publish while another delivery holds a live claim', async () => {
      const harness = createDeliveryHarness();
      seedClaim(harness, SAMPLE);
      await deliver(harness);
      expect(harness.publisher.attempts).toBe(0);
    });

    it('asks to retry in 1 s when the record keeps changing under both claim attempts', async () => {
      const harness = createDeliveryHarness();
      const claim = vi
        .spyOn(harness.store, 'claim')
        .mockResolvedValue({ claimed: false, existing: undefined });
      const outcome = await deliver(harness);
      expect({ outcome, attempts: claim.mock.calls.length }).toMatchObject({
        outcome: { kind: 'in-progress', retryAfterSeconds: 1 },
        attempts: 2,
      });
    });
  });

  describe('payload-conflict', () => {
    it('refuses an event id seen before with another payload', async () => {
      const harness = createDeliveryHarness();
      await deliver(harness);
      const entity = { ...(SAMPLE.payload.entity as object), health: 'needs_auth' };
      expect(await deliver(harness, buildEvent({ payload: { entity } }))).toMatchObject({
        kind: 'payload-conflict',
        event: { eventId: EVENT_ID },
      });
    });

    it('refuses another payload for an event id whose claim was abandoned', async () => {
      const harness = createDeliveryHarness();
      seedClaim(harness, SAMPLE, { agoMs: 40_000, leaseMs: 35_000 });
      const outcome = await deliver(harness, buildEvent({ payload: { entity_id: 'other' } }));
      expect({ kind: outcome.kind, publishAttempts: harness.publisher.attempts }).toEqual({
        kind: 'payload-conflict',
        publishAttempts: 0,
      });
    });
  });

  describe('ignored', () => {
    it.each([
      ['{}', '{}'],
      ['{"payload":{}}', '{"payload":{}}'],
      ['a URL-validation body', '{"message":"Validating delivery URL"}'],
      ['a JSON array', '[1,2,3]'],
    ])('acknowledges a validly signed %s without routing it', async (_, body) => {
      const harness = createDeliveryHarness();
      const outcome = await harness.receive(signedDeliveryRequest(body));
      expect({ outcome, ...sideEffects(harness) }).toEqual({
        outcome: { kind: 'ignored' },
        ...NO_SIDE_EFFECTS,
      });
    });

    it('acknowledges a validly signed body too deeply nested to serialise, without throwing', async () => {
      const harness = createDeliveryHarness({ policy: { maxBodyBytes: 1_000_000 } });
      const text = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
      const outcome = await harness.receive(
        deliveryRequest(text, signHex(text, VECTOR_KEY, 'raw')),
      );
      expect(outcome).toEqual({ kind: 'ignored' });
    });
  });

  describe('invalid', () => {
    it('refuses a validly signed body that is not JSON as invalid-json', async () => {
      const harness = createDeliveryHarness();
      const text = '{"payload": {"event_type": ';
      const outcome = await harness.receive(
        deliveryRequest(text, signHex(text, VECTOR_KEY, 'raw')),
      );
      expect({ outcome, ...sideEffects(harness) }).toEqual({
        outcome: { kind: 'invalid', problem: 'invalid-json', reason: expect.any(String) },
        ...NO_SIDE_EFFECTS,
      });
    });

    it('refuses a validly signed event without an event_id as invalid-envelope', async () => {
      const harness = createDeliveryHarness();
      const outcome = await deliver(harness, buildEvent({ omit: ['event_id'] }));
      expect({ outcome, ...sideEffects(harness) }).toEqual({
        outcome: {
          kind: 'invalid',
          problem: 'invalid-envelope',
          reason: expect.stringContaining('payload.event_id'),
        },
        ...NO_SIDE_EFFECTS,
      });
    });
  });

  describe('signature-rejected', () => {
    it.each([
      ['absent', undefined],
      ['empty', ''],
      ['blank', '  \t'],
    ])(
      'rejects a request whose signature is %s as missing, touching nothing',
      async (_, header) => {
        const harness = createDeliveryHarness();
        const outcome = await harness.receive(deliveryRequest(wireText(SAMPLE), header));
        expect({ outcome, ...sideEffects(harness), secretReads: harness.secret.reads }).toEqual({
          outcome: { kind: 'signature-rejected', reason: 'missing' },
          ...NO_SIDE_EFFECTS,
          secretReads: 0,
        });
      },
    );

    it('rejects a body signed with another key as a mismatch, touching nothing', async () => {
      const harness = createDeliveryHarness();
      const outcome = await deliver(harness, SAMPLE, 'sk_test_attacker_guess');
      expect({ outcome, ...sideEffects(harness) }).toEqual({
        outcome: { kind: 'signature-rejected', reason: 'mismatch' },
        ...NO_SIDE_EFFECTS,
      });
    });

    it('rejects a tampered body carrying the original signature, touching nothing', async () => {
      const harness = createDeliveryHarness();
      const original = wireText(SAMPLE);
      const tampered = wireText(
        buildEvent({ payload: { event_type: 'vault.connection.deleted' } }),
      );
      const outcome = await harness.receive(deliveryRequest(tampered, signHex(original)));
      expect({ outcome, ...sideEffects(harness) }).toEqual({
        outcome: { kind: 'signature-rejected', reason: 'mismatch' },
        ...NO_SIDE_EFFECTS,
      });
    });

    it('rejects a garbage signature as a mismatch', async () => {
      const harness = createDeliveryHarness();
      const outcome = await harness.receive(deliveryRequest(wireText(SAMPLE), 'garbage'));
      expect(outcome).toEqual({ kind: 'signature-rejected', reason: 'mismatch' });
    });
  });

  describe('key rotation', () => {
    it('rejects a request signed with a new key while the cached keys are fresh', async () => {
      const harness = createDeliveryHarness({ secret: 'sk_old' });
      await deliver(harness, buildEvent({ payload: { event_id: 'warm-up' } }), 'sk_old');
      harness.secret.rotate('["sk_new","sk_old"]');
      harness.clock.advance(KEY_REFRESH_INTERVAL_MS - 1);
      expect(await deliver(harness, SAMPLE, 'sk_new')).toEqual({
        kind: 'signature-rejected',
        reason: 'mismatch',
      });
    });

    it('re-reads the secret after a failed verification and accepts the new key', async () => {
      const harness = createDeliveryHarness({ secret: 'sk_old' });
      await deliver(harness, buildEvent({ payload: { event_id: 'warm-up' } }), 'sk_old');
      harness.secret.rotate('["sk_new","sk_old"]');
      harness.clock.advance(KEY_REFRESH_INTERVAL_MS);
      expect((await deliver(harness, SAMPLE, 'sk_new')).kind).toBe('published');
    });

    it('reads the secret only once for validly signed requests within the refresh interval', async () => {
      const harness = createDeliveryHarness();
      await deliver(harness);
      harness.clock.advance(KEY_REFRESH_INTERVAL_MS - 1);
      await deliver(harness, buildEvent({ payload: { event_id: 'second' } }));
      expect(harness.secret.reads).toBe(1);
    });
  });

  describe('too-large', () => {
    it('refuses a body over the limit before reading the keys', async () => {
      const harness = createDeliveryHarness({ policy: { maxBodyBytes: 1_024 } });
      const text = wireText(buildEvent({ payload: { padding: 'x'.repeat(2_000) } }));
      const outcome = await harness.receive(signedDeliveryRequest(text));
      expect({ outcome, ...sideEffects(harness), secretReads: harness.secret.reads }).toEqual({
        outcome: { kind: 'too-large', limitBytes: 1_024, sizeBytes: Buffer.byteLength(text) },
        ...NO_SIDE_EFFECTS,
        secretReads: 0,
      });
    });

    it('accepts a body exactly at the limit', async () => {
      const text = wireText(SAMPLE);
      const harness = createDeliveryHarness({ policy: { maxBodyBytes: Buffer.byteLength(text) } });
      expect((await harness.receive(signedDeliveryRequest(text))).kind).toBe('published');
    });

    it('measures the body in bytes, not characters', async () => {
      const text = wireText(buildEvent({ payload: { note: '😀'.repeat(300) } }));
      const harness = createDeliveryHarness({ policy: { maxBodyBytes: text.length } });
      expect(await harness.receive(signedDeliveryRequest(text))).toMatchObject({
        kind: 'too-large',
        sizeBytes: Buffer.byteLength(text),
      });
    });

    it('refuses an event whose SNS message would exceed 256 KiB, without claiming it', async () => {
      const harness = createDeliveryHarness({ policy: { maxBodyBytes: 1_048_576 } });
      const body = buildEvent({ payload: { padding: 'x'.repeat(SNS_MAX_MESSAGE_BYTES) } });
      const outcome = await deliver(harness, body);
      expect({ outcome, ...sideEffects(harness) }).toEqual({
        outcome: {
          kind: 'too-large',
          limitBytes: SNS_MAX_MESSAGE_BYTES,
          sizeBytes: expect.any(Number),
          event: expect.objectContaining({ eventId: EVENT_ID }),
        },
        ...NO_SIDE_EFFECTS,
      });
    });
  });

  describe('replay-refused', () => {
    it('refuses an event older than the replay window, without claiming it', async () => {
      const harness = createDeliveryHarness({
        nowMs: OCCURRED_AT_MS + DEFAULT_POLICY.replayWindow.maxAgeMs + 1,
      });
      const outcome = await deliver(harness);
      expect({ outcome, ...sideEffects(harness) }).toEqual({
        outcome: { kind: 'replay-refused', verdict: 'too-old', event: expect.any(Object) },
        ...NO_SIDE_EFFECTS,
      });
    });

    it('accepts an event exactly as old as the replay window allows', async () => {
      const harness = createDeliveryHarness({
        nowMs: OCCURRED_AT_MS + DEFAULT_POLICY.replayWindow.maxAgeMs,
      });
      expect((await deliver(harness)).kind).toBe('published');
    });

    it('refuses an event further in the future than the clock skew, without claiming it', async () => {
      const harness = createDeliveryHarness({
        nowMs: OCCURRED_AT_MS - DEFAULT_POLICY.replayWindow.maxFutureMs - 1,
      });
      const outcome = await deliver(harness);
      expect({ outcome, ...sideEffects(harness) }).toEqual({
        outcome: { kind: 'replay-refused', verdict: 'in-future', event: expect.any(Object) },
        ...NO_SIDE_EFFECTS,
      });
    });
  });

  describe('unavailable', () => {
    it('answers unavailable (SecretsManager) when the keys cannot be read', async () => {
      const harness = createDeliveryHarness();
      harness.secret.failWith();
      const outcome = await deliver(harness);
      expect({ outcome, ...sideEffects(harness) }).toEqual({
        outcome: {
          kind: 'unavailable',
          dependency: 'SecretsManager',
          error: expect.any(SigningKeysUnavailableError),
          publishFailed: false,
          publishUncertain: false,
          releaseFailed: false,
        },
        ...NO_SIDE_EFFECTS,
      });
    });

    it('answers unavailable (SecretsManager) when the secret is not a valid key list', async () => {
      const harness = createDeliveryHarness({ secret: '["sk_new",' });
      expect(await deliver(harness)).toMatchObject({
        kind: 'unavailable',
        dependency: 'SecretsManager',
      });
    });

    it('answers unavailable (DynamoDB) when the claim fails, without publishing', async () => {
      const harness = createDeliveryHarness();
      harness.store.failOn('claim');
      const outcome = await deliver(harness);
      expect({ outcome, publishAttempts: harness.publisher.attempts }).toEqual({
        outcome: {
          kind: 'unavailable',
          dependency: 'DynamoDB',
          error: expect.any(IdempotencyStoreError),
          event: expect.objectContaining({ eventId: EVENT_ID }),
          publishFailed: false,
          publishUncertain: false,
          releaseFailed: false,
        },
        publishAttempts: 0,
      });
    });

    it('answers unavailable (SNS) when publishing fails, and releases the claim', async () => {
      const harness = createDeliveryHarness();
      harness.publisher.failWith();
      const outcome = await deliver(harness);
      expect({ outcome, record: harness.store.get(EVENT_ID) }).toEqual({
        outcome: {
          kind: 'unavailable',
          dependency: 'SNS',
          error: expect.any(PublishError),
          event: expect.objectContaining({ eventId: EVENT_ID }),
          publishFailed: true,
          publishUncertain: false,
          releaseFailed: false,
        },
        record: undefined,
      });
    });

    it('publishes a retry after a failed publish released the claim', async () => {
      const harness = createDeliveryHarness();
      harness.publisher.failWith();
      await deliver(harness);
      harness.publisher.heal();
      expect((await deliver(harness, buildEvent({ payload: { execution_attempt: 2 } }))).kind).toBe(
        'published',
      );
    });

    it('reports releaseFailed when the release after a failed publish fails too', async () => {
      const harness = createDeliveryHarness();
      harness.publisher.failWith();
      harness.store.failOn('release');
      const outcome = await deliver(harness);
      expect({ outcome, status: harness.store.get(EVENT_ID)?.status }).toEqual({
        outcome: expect.objectContaining({
          kind: 'unavailable',
          dependency: 'SNS',
          publishFailed: true,
          publishUncertain: false,
          releaseFailed: true,
        }),
        status: 'IN_PROGRESS',
      });
    });
  });

  describe('completion failure', () => {
    it('reports published but not completed when marking the record fails', async () => {
      const harness = createDeliveryHarness();
      harness.store.failOn('complete');
      const outcome = await deliver(harness);
      expect({ outcome, published: harness.publisher.published.length }).toEqual({
        outcome: expect.objectContaining({
          kind: 'published',
          completed: false,
          completionError: expect.any(IdempotencyStoreError),
          messageId: expect.any(String),
        }),
        published: 1,
      });
    });

    it('leaves the record IN_PROGRESS when marking it completed fails', async () => {
      const harness = createDeliveryHarness();
      harness.store.failOn('complete');
      await deliver(harness);
      expect(harness.store.get(EVENT_ID)?.status).toBe('IN_PROGRESS');
    });
  });

  describe('unexpected errors', () => {
    it('propagates a non-dependency error from the store', async () => {
      const harness = createDeliveryHarness();
      harness.store.failOn('claim', new TypeError('bug in the store'));
      await expect(deliver(harness)).rejects.toThrow(TypeError);
    });

    it('propagates a non-dependency error from the publisher, after releasing the claim', async () => {
      const harness = createDeliveryHarness();
      harness.publisher.failWith(new RangeError('bug in the publisher'));
      await expect(deliver(harness)).rejects.toThrow(RangeError);
      expect(harness.store.get(EVENT_ID)).toBeUndefined();
    });

    it('propagates a non-dependency error from the key source', async () => {
      const harness = createDeliveryHarness();
      harness.secret.failWith(new TypeError('bug in the reader'));
      await expect(deliver(harness)).rejects.toThrow(TypeError);
    });
  });
});
