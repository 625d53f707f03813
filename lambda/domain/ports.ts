import type { CallOptions } from './deadline.ts';
import type { IdempotencyRecord } from './idempotency.ts';
import type { RetentionChange } from './retention-history.ts';
import type { EventMessage } from './sns-message.ts';

/**
 * The receiver's view of its AWS dependencies. Each adapter in `lambda/adapters/`
 * implements one of these and throws only the errors of `lambda/errors.ts`.
 * Every call takes its time budget ({@link CallOptions}) and settles within it.
 */

/** Outcome of a conditional claim write. */
export type ClaimWriteResult =
  | { readonly claimed: true }
  /** The condition failed; `existing` is the record in the way, if it could be read. */
  | { readonly claimed: false; readonly existing: IdempotencyRecord | undefined };

/** The idempotency table. */
export interface IdempotencyStore {
  /** Writes `record` if {@link canClaimOver} allows it at `nowMs`; otherwise returns the record in the way. */
  claim(record: IdempotencyRecord, nowMs: number, options?: CallOptions): Promise<ClaimWriteResult>;
  /** Marks the claim COMPLETED with the SNS message id; fails if the claim is no longer held. */
  complete(
    eventId: string,
    claimToken: string,
    messageId: string,
    nowMs: number,
    options?: CallOptions,
  ): Promise<void>;
  /** Deletes the record if the claim is still held (an IN_PROGRESS record with this token). */
  release(eventId: string, claimToken: string, options?: CallOptions): Promise<void>;
}

/** Where the retention changes are kept (see `retention-history.ts`). */
export interface RetentionLedger {
  /**
   * Appends `days` as in force from `nowMs`, unless it already is the last
   * entry. Called before every claim, so an implementation must make a repeat
   * of what this process last recorded cheap (no I/O) and retry one that failed.
   */
  record(days: number, nowMs: number, options?: CallOptions): Promise<void>;
  /** Every change recorded, oldest first. */
  read(options?: CallOptions): Promise<readonly RetentionChange[]>;
}

/** The SNS topics. */
export interface EventPublisher {
  /**
   * Publishes one message; resolves to the SNS message id.
   *
   * @throws PublishError with `maybePublished` when SNS may have taken it anyway.
   */
  publish(topicArn: string, message: EventMessage, options?: CallOptions): Promise<string>;
}

/** The secret that holds the signing keys. */
export interface SecretReader {
  /** The secret's current `SecretString`. */
  read(options?: CallOptions): Promise<string>;
}
