/**
 * The idempotency state machine, independent of DynamoDB.
 *
 * A record moves: (none) -> IN_PROGRESS (claimed) -> COMPLETED (published), or
 * IN_PROGRESS -> (none) when publishing fails and the claim is released. A new
 * claim may replace a record whose retention has passed, or an IN_PROGRESS
 * record of the same payload whose lease has run out (its owner died).
 */
import { recordKeyOf } from './record-key.ts';

/** `IN_PROGRESS` while a claim is publishing; `COMPLETED` once published. */
export type IdempotencyStatus = 'IN_PROGRESS' | 'COMPLETED';

/** One event's idempotency record, as stored. */
export interface IdempotencyRecord {
  readonly eventId: string;
  readonly status: IdempotencyStatus;
  /** Random token of the claim that wrote the record. */
  readonly claimToken: string;
  /** Epoch ms after which an IN_PROGRESS record may be taken over. */
  readonly leaseExpiresAtMs: number;
  /** Epoch seconds after which the record no longer counts (the table's TTL). */
  readonly expiresAtSeconds: number;
  readonly eventType: string;
  readonly fingerprint: string;
  /** Epoch ms of the claim. */
  readonly claimedAtMs: number;
  readonly messageId?: string;
}

/** What a claim attempt needs to know. */
export interface ClaimRequest {
  readonly eventId: string;
  readonly eventType: string;
  readonly fingerprint: string;
  readonly nowMs: number;
  /** How long the claim is protected: the invocation's remaining time plus a margin. */
  readonly leaseMs: number;
  /** How long the record is kept. */
  readonly retentionMs: number;
  readonly claimToken: string;
}

/** Builds the IN_PROGRESS record a claim writes (keyed by {@link recordKeyOf} the event id). */
export function newClaimRecord(request: ClaimRequest): IdempotencyRecord {
  return {
    eventId: recordKeyOf(request.eventId),
    status: 'IN_PROGRESS',
    claimToken: request.claimToken,
    leaseExpiresAtMs: request.nowMs + request.leaseMs,
    expiresAtSeconds: Math.ceil((request.nowMs + request.retentionMs) / 1000),
    // Descriptive only (never a key): a lone surrogate, which DynamoDB refuses, becomes U+FFFD.
    eventType: request.eventType.toWellFormed(),
    fingerprint: request.fingerprint,
    claimedAtMs: request.nowMs,
  };
}

/** Whether a record's retention has passed (TTL deletion lags by up to two days). */
export function isExpired(record: IdempotencyRecord, nowMs: number): boolean {
  return record.expiresAtSeconds * 1000 <= nowMs;
}

/**
 * The rule a claim's conditional write enforces: there is no record, or it has
 * expired, or it is an abandoned claim (lease over) of the same payload.
 */
export function canClaimOver(
  existing: IdempotencyRecord | undefined,
  fingerprint: string,
  nowMs: number,
): boolean {
  if (existing === undefined || isExpired(existing, nowMs)) return true;
  return (
    existing.status === 'IN_PROGRESS' &&
    existing.leaseExpiresAtMs <= nowMs &&
    existing.fingerprint === fingerprint
  );
}

/** Why a claim was refused, decided from the record that stood in its way. */
export type ClaimRefusal =
  /**
   * The record is this very claim: its write succeeded but the answer was lost
   * and the retried write met it. The claim is held.
   */
  | { readonly kind: 'own-claim' }
  | { readonly kind: 'duplicate'; readonly messageId?: string }
  | { readonly kind: 'in-progress'; readonly retryAfterSeconds: number }
  | { readonly kind: 'payload-conflict' }
  /** The record changed between the write and the read (released, expired, lease over): claim again. */
  | { readonly kind: 'retry' };

/** Classifies the record that made the conditional claim with `claimToken` fail. */
export function classifyRefusal(
  existing: IdempotencyRecord | undefined,
  fingerprint: string,
  nowMs: number,
  claimToken: string,
): ClaimRefusal {
  if (existing?.claimToken === claimToken && existing.status === 'IN_PROGRESS') {
    return { kind: 'own-claim' };
  }
  if (existing === undefined || canClaimOver(existing, fingerprint, nowMs))
    return { kind: 'retry' };
  if (existing.fingerprint !== fingerprint) return { kind: 'payload-conflict' };
  if (existing.status === 'COMPLETED') {
    return existing.messageId === undefined
      ? { kind: 'duplicate' }
      : { kind: 'duplicate', messageId: existing.messageId };
  }
  return {
    kind: 'in-progress',
    retryAfterSeconds: Math.max(1, Math.ceil((existing.leaseExpiresAtMs - nowMs) / 1000)),
  };
}
