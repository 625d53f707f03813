import { DeadlineExceededError, DependencyError, PublishError } from '../errors.ts';
import { type Deadline, RESERVE_MS } from './deadline.ts';
import type { DeliveryOutcome } from './delivery-outcome.ts';
import type { ApideckEvent } from './envelope.ts';
import { payloadFingerprint } from './fingerprint.ts';
import { classifyRefusal, newClaimRecord } from './idempotency.ts';
import type { EventPublisher, IdempotencyStore, RetentionLedger } from './ports.ts';
import { checkReplayWindow, type ReplayWindowPolicy } from './replay-window.ts';
import { acceptedMaxAgeMs, historyIndependentAgeMs } from './retention-history.ts';
import type { Route, Router } from './routing.ts';
import {
  buildEventMessage,
  type EventMessage,
  messageSizeBytes,
  RECOVERED_ATTRIBUTE,
  SNS_MAX_MESSAGE_BYTES,
} from './sns-message.ts';
import { DAY_MS } from './time.ts';

/** A record may change between a failed claim and the read of it; one more claim settles it. */
const CLAIM_ATTEMPTS = 2;

/** The limits an event's delivery enforces. */
export interface ClaimAndPublishPolicy {
  /** How long a record is kept (the retention in force now). */
  readonly retentionMs: number;
  readonly leaseMarginMs: number;
  readonly replayWindow: ReplayWindowPolicy;
  /** The topics are FIFO topics (default false). */
  readonly fifo?: boolean;
}

/** What an event's delivery needs from the outside world. */
export interface ClaimAndPublishDependencies {
  readonly store: IdempotencyStore;
  readonly retentionLedger: RetentionLedger;
  readonly publisher: EventPublisher;
  readonly router: Router;
  readonly now: () => number;
  readonly newClaimToken: () => string;
}

/** How one event is delivered. */
export interface ClaimAndPublishOptions {
  /** The invocation's deadline: every call ends before it. */
  readonly deadline: Deadline;
  /** The claim's lease: how long another delivery must wait before taking the claim over. */
  readonly leaseMs: number;
  /** Marks the message as recovered from Apideck's event log (reconciliation), not delivered live. */
  readonly recovered?: boolean;
  /**
   * The payload's `payloadFingerprint`, when the caller has it already (the
   * receiver takes it from the canonical form it verified the signature with);
   * otherwise it is computed here.
   */
  readonly fingerprint?: string | undefined;
}

/** The outcomes of delivering an authenticated event. */
export type ClaimAndPublishOutcome = Extract<
  DeliveryOutcome,
  {
    kind:
      | 'published'
      | 'duplicate'
      | 'in-progress'
      | 'payload-conflict'
      | 'too-large'
      | 'replay-refused'
      | 'unavailable';
  }
>;

/**
 * Claims and publishes one authenticated event: replay window, claim, publish, complete.
 * The live receiver calls it after the signature; reconciliation calls it for
 * events read from Apideck's authenticated event log. The same record decides
 * both, so an event arriving on both paths is published once.
 */
export type ClaimAndPublish = (
  event: ApideckEvent,
  options: ClaimAndPublishOptions,
) => Promise<ClaimAndPublishOutcome>;

/**
 * A dependency's failure as an outcome (`publish` when it was the publish:
 * whether its claim was released); anything else is a bug and is rethrown.
 */
function unavailable(
  error: unknown,
  event: ApideckEvent,
  publish?: { readonly released: boolean },
): ClaimAndPublishOutcome {
  if (!(error instanceof DependencyError)) throw error;
  return {
    kind: 'unavailable',
    dependency: error.dependency,
    error,
    event,
    publishFailed: publish !== undefined,
    publishUncertain:
      publish !== undefined && error instanceof PublishError && error.maybePublished,
    releaseFailed: publish !== undefined && !publish.released,
  };
}

function withRecoveredMark(message: EventMessage, recovered: boolean | undefined): EventMessage {
  if (recovered !== true) return message;
  return { ...message, attributes: { ...message.attributes, [RECOVERED_ATTRIBUTE]: 'true' } };
}

/** Builds the claim-and-publish of authenticated events (the live receiver's and reconciliation's). */
export function createClaimAndPublish(
  dependencies: ClaimAndPublishDependencies,
  policy: ClaimAndPublishPolicy,
): ClaimAndPublish {
  const { store, retentionLedger, publisher, router, now, newClaimToken } = dependencies;
  const retentionDays = policy.retentionMs / DAY_MS;
  const replayMarginMs = policy.retentionMs - policy.replayWindow.maxAgeMs;

  function budget(deadline: Deadline, reserveMs: number, dependency: 'DynamoDB' | 'SNS') {
    const options = deadline.budget(reserveMs);
    if (options === undefined) {
      throw new DeadlineExceededError(
        dependency,
        'too little of the invocation is left to call it',
      );
    }
    return options;
  }

  /** Before every claim: the ledger must know every retention that wrote records (a repeat is free). */
  function recordRetention(deadline: Deadline): Promise<void> {
    return retentionLedger.record(
      retentionDays,
      now(),
      budget(deadline, RESERVE_MS.beforeClaim, 'DynamoDB'),
    );
  }

  /** Whether the event is too old for a record written under an earlier, shorter retention. */
  async function olderThanHistoryAllows(event: ApideckEvent, deadline: Deadline) {
    const ageMs = now() - event.occurredAtMs;
    if (ageMs < historyIndependentAgeMs(replayMarginMs)) return false;
    const history = await retentionLedger.read(
      budget(deadline, RESERVE_MS.beforeClaim, 'DynamoDB'),
    );
    return ageMs > acceptedMaxAgeMs(history, event.occurredAtMs, retentionDays, replayMarginMs);
  }

  async function publishClaimed(
    event: ApideckEvent,
    recordKey: string,
    claimToken: string,
    route: Route,
    message: EventMessage,
    deadline: Deadline,
  ): Promise<ClaimAndPublishOutcome> {
    let messageId: string;
    try {
      messageId = await publisher.publish(
        route.topicArn,
        message,
        budget(deadline, RESERVE_MS.beforePublish, 'SNS'),
      );
    } catch (error) {
      const releaseBudget = deadline.budget();
      const released =
        releaseBudget !== undefined &&
        (await store.release(recordKey, claimToken, releaseBudget).then(
          () => true,
          () => false,
        ));
      return unavailable(error, event, { released });
    }
    const published = {
      kind: 'published' as const,
      event,
      route,
      messageId,
      droppedAttributes: message.droppedAttributes,
      recovered: message.attributes[RECOVERED_ATTRIBUTE] === 'true',
    };
    try {
      const completeBudget = deadline.budget();
      if (completeBudget === undefined) {
        throw new DeadlineExceededError('DynamoDB', 'no time left to mark the event completed');
      }
      await store.complete(recordKey, claimToken, messageId, now(), completeBudget);
      return { ...published, completed: true };
    } catch (error) {
      if (!(error instanceof DependencyError)) throw error;
      return { ...published, completed: false, completionError: error };
    }
  }

  async function claimAndPublish(
    event: ApideckEvent,
    options: ClaimAndPublishOptions,
  ): Promise<ClaimAndPublishOutcome> {
    const route = router(event.eventType);
    const message = withRecoveredMark(
      buildEventMessage(event, { fifo: policy.fifo ?? false }),
      options.recovered,
    );
    const sizeBytes = messageSizeBytes(message);
    if (sizeBytes > SNS_MAX_MESSAGE_BYTES) {
      return { kind: 'too-large', limitBytes: SNS_MAX_MESSAGE_BYTES, sizeBytes, event };
    }
    const { deadline } = options;
    if (await olderThanHistoryAllows(event, deadline)) {
      return { kind: 'replay-refused', event, verdict: 'too-old' };
    }
    await recordRetention(deadline);
    const fingerprint = options.fingerprint ?? payloadFingerprint(event.payload);
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
      const claimToken = newClaimToken();
      const nowMs = now();
      const record = newClaimRecord({
        eventId: event.eventId,
        eventType: event.eventType,
        fingerprint,
        nowMs,
        leaseMs: options.leaseMs,
        retentionMs: policy.retentionMs,
        claimToken,
      });
      const result = await store.claim(
        record,
        nowMs,
        budget(deadline, RESERVE_MS.beforeClaim, 'DynamoDB'),
      );
      const refusal = result.claimed
        ? ({ kind: 'own-claim' } as const)
        : classifyRefusal(result.existing, fingerprint, now(), claimToken);
      switch (refusal.kind) {
        case 'own-claim':
          return publishClaimed(event, record.eventId, claimToken, route, message, deadline);
        case 'duplicate':
          return { kind: 'duplicate', event };
        case 'payload-conflict':
          return { kind: 'payload-conflict', event };
        case 'in-progress':
          return { kind: 'in-progress', event, retryAfterSeconds: refusal.retryAfterSeconds };
        case 'retry':
          break;
      }
    }
    // The record kept changing under us: another delivery is racing; let Apideck retry shortly.
    return { kind: 'in-progress', event, retryAfterSeconds: 1 };
  }

  return async (event, options) => {
    const verdict = checkReplayWindow(event.occurredAtMs, now(), policy.replayWindow);
    if (verdict !== 'inside') return { kind: 'replay-refused', event, verdict };
    try {
      return await claimAndPublish(event, options);
    } catch (error) {
      return unavailable(error, event);
    }
  };
}
