import type { IdempotencyRecord } from './idempotency.ts';
import type { EventMessage } from './sns-message.ts';

/**
 * The receiver's view of its AWS dependencies. Each adapter in `lambda/adapters/`
 * implements one of these and throws only the errors of `lambda/errors.ts`.
 */

/** Outcome of a conditional claim write. */
export type ClaimWriteResult =
  | { readonly claimed: true }
  /** The condition failed; `existing` is the record in the way, if it could be read. */
  | { readonly claimed: false; readonly existing: IdempotencyRecord | undefined };

/** The idempotency table. */
export interface IdempotencyStore {
  /** Writes `record` if {@link canClaimOver} allows it at `nowMs`; otherwise returns the record in the way. */
  claim(record: IdempotencyRecord, nowMs: number): Promise<ClaimWriteResult>;
  /** Marks the claim COMPLETED with the SNS message id; fails if the claim is no longer held. */
  complete(eventId: string, claimToken: string, messageId: string, nowMs: number): Promise<void>;
  /** Deletes the record if the claim is still held (an IN_PROGRESS record with this token). */
  release(eventId: string, claimToken: string): Promise<void>;
}

/** The SNS topics. */
export interface EventPublisher {
  /** Publishes one message; resolves to the SNS message id. */
  publish(topicArn: string, message: EventMessage): Promise<string>;
}

/** The secret that holds the signing keys. */
export interface SecretReader {
  /** The secret's current `SecretString`. */
  read(): Promise<string>;
}
