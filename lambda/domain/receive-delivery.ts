import { DependencyError } from '../errors.ts';
import type { DeliveryOutcome } from './delivery-outcome.ts';
import { type ApideckEvent, parseEnvelope } from './envelope.ts';
import { payloadFingerprint } from './fingerprint.ts';
import { classifyRefusal, newClaimRecord } from './idempotency.ts';
import { parseJsonBody } from './json-body.ts';
import type { EventPublisher, IdempotencyStore } from './ports.ts';
import { checkReplayWindow, type ReplayWindowPolicy } from './replay-window.ts';
import type { Router } from './routing.ts';
import { isValidSignature, signedMessageCandidates } from './signature.ts';
import { buildEventMessage, messageSizeBytes, SNS_MAX_MESSAGE_BYTES } from './sns-message.ts';

/** One request as the receiver sees it, decoded from whatever transport carried it. */
export interface DeliveryRequest {
  /** The body bytes exactly as sent (base64 already decoded). */
  readonly body: Uint8Array;
  /** The `x-apideck-signature` header, if any. */
  readonly signature: string | undefined;
  /** Time left in the invocation, in ms: the claim's lease covers it. */
  readonly remainingTimeMs: number;
}

/** The limits the receiver enforces. */
export interface DeliveryPolicy {
  readonly maxBodyBytes: number;
  readonly retentionMs: number;
  readonly leaseMarginMs: number;
  readonly replayWindow: ReplayWindowPolicy;
}

/** The signing keys, cached, with a rate-limited refresh (see `SigningKeyRing`). */
export interface SigningKeys {
  current(): Promise<readonly string[]>;
  refresh(): Promise<readonly string[] | undefined>;
}

/** What the receiver needs from the outside world. */
export interface DeliveryDependencies {
  readonly keys: SigningKeys;
  readonly store: IdempotencyStore;
  readonly publisher: EventPublisher;
  readonly router: Router;
  readonly now: () => number;
  readonly newClaimToken: () => string;
}

/** A record may change between a failed claim and the read of it; one more claim settles it. */
const CLAIM_ATTEMPTS = 2;

/** Receives one delivery: verify, parse, check, claim, publish, complete. */
export type DeliveryReceiver = (request: DeliveryRequest) => Promise<DeliveryOutcome>;

function unavailable(error: unknown, event?: ApideckEvent): DeliveryOutcome {
  if (!(error instanceof DependencyError)) throw error;
  return {
    kind: 'unavailable',
    dependency: error.dependency,
    error,
    ...(event === undefined ? {} : { event }),
    publishFailed: false,
    releaseFailed: false,
  };
}

/**
 * Builds the receiver. Dependency failures become `unavailable` outcomes; any
 * other error is a bug and propagates to the handler (500).
 */
export function createDeliveryReceiver(
  dependencies: DeliveryDependencies,
  policy: DeliveryPolicy,
): DeliveryReceiver {
  const { keys, store, publisher, router, now, newClaimToken } = dependencies;

  async function verify(request: DeliveryRequest, candidates: Uint8Array[]): Promise<boolean> {
    const signature = request.signature ?? '';
    if (isValidSignature(signature, candidates, await keys.current())) return true;
    const refreshed = await keys.refresh();
    return refreshed !== undefined && isValidSignature(signature, candidates, refreshed);
  }

  async function publishClaimed(
    event: ApideckEvent,
    claimToken: string,
    route: ReturnType<Router>,
    message: ReturnType<typeof buildEventMessage>,
  ): Promise<DeliveryOutcome> {
    let messageId: string;
    try {
      messageId = await publisher.publish(route.topicArn, message);
    } catch (error) {
      const released = await store.release(event.eventId, claimToken).then(
        () => true,
        () => false,
      );
      if (!(error instanceof DependencyError)) throw error;
      return {
        kind: 'unavailable',
        dependency: error.dependency,
        error,
        event,
        publishFailed: true,
        releaseFailed: !released,
      };
    }
    try {
      await store.complete(event.eventId, claimToken, messageId, now());
      return { kind: 'published', event, route, messageId, completed: true };
    } catch (error) {
      if (!(error instanceof DependencyError)) throw error;
      return {
        kind: 'published',
        event,
        route,
        messageId,
        completed: false,
        completionError: error,
      };
    }
  }

  async function claimAndPublish(event: ApideckEvent, leaseMs: number): Promise<DeliveryOutcome> {
    const route = router(event.eventType);
    const message = buildEventMessage(event);
    const sizeBytes = messageSizeBytes(message);
    if (sizeBytes > SNS_MAX_MESSAGE_BYTES) {
      return { kind: 'too-large', limitBytes: SNS_MAX_MESSAGE_BYTES, sizeBytes, event };
    }
    const fingerprint = payloadFingerprint(event.payload);
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
      const claimToken = newClaimToken();
      const nowMs = now();
      const record = newClaimRecord({
        eventId: event.eventId,
        eventType: event.eventType,
        fingerprint,
        nowMs,
        leaseMs,
        retentionMs: policy.retentionMs,
        claimToken,
      });
      const result = await store.claim(record, nowMs);
      if (result.claimed) return publishClaimed(event, claimToken, route, message);
      const refusal = classifyRefusal(result.existing, fingerprint, now());
      if (refusal.kind === 'duplicate') return { kind: 'duplicate', event };
      if (refusal.kind === 'payload-conflict') return { kind: 'payload-conflict', event };
      if (refusal.kind === 'in-progress') {
        return { kind: 'in-progress', event, retryAfterSeconds: refusal.retryAfterSeconds };
      }
    }
    // The record kept changing under us: another delivery is racing; let Apideck retry shortly.
    return { kind: 'in-progress', event, retryAfterSeconds: 1 };
  }

  return async (request) => {
    const { body } = request;
    if (body.byteLength > policy.maxBodyBytes) {
      return { kind: 'too-large', limitBytes: policy.maxBodyBytes, sizeBytes: body.byteLength };
    }
    if (request.signature === undefined || request.signature.trim() === '') {
      return { kind: 'signature-rejected', reason: 'missing' };
    }
    const json = parseJsonBody(
      Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'),
    );
    const candidates = signedMessageCandidates(body, json);
    try {
      if (!(await verify(request, candidates)))
        return { kind: 'signature-rejected', reason: 'mismatch' };
    } catch (error) {
      return unavailable(error);
    }

    if (!json.ok)
      return { kind: 'invalid', problem: 'invalid-json', reason: 'body is not valid JSON' };
    const envelope = parseEnvelope(json.value);
    if (envelope.kind === 'not-an-event') return { kind: 'ignored' };
    if (envelope.kind === 'invalid') {
      return { kind: 'invalid', problem: 'invalid-envelope', reason: envelope.reason };
    }
    const { event } = envelope;
    const verdict = checkReplayWindow(event.occurredAtMs, now(), policy.replayWindow);
    if (verdict !== 'inside') return { kind: 'replay-refused', event, verdict };

    try {
      return await claimAndPublish(event, request.remainingTimeMs + policy.leaseMarginMs);
    } catch (error) {
      return unavailable(error, event);
    }
  };
}
