/**
 * What a reconciliation needs from the outside world: pages of Apideck's event
 * log, and the receiver's own claim -> publish -> complete path.
 */
import type { ClaimAndPublishOutcome } from '../domain/claim-and-publish.ts';
import type { ApideckEvent } from '../domain/envelope.ts';
import type { IdempotencyRecord } from '../domain/idempotency.ts';

/** Apideck's event log, read page by page over a time window. */
export interface EventLogSource {
  /**
   * Yields the entries of every page whose `timestamp` is in the window, until
   * Apideck says there is no next page. Entries are raw JSON: read them with
   * `readLogEntry`.
   */
  pages(window: {
    readonly startDate: string;
    readonly endDate: string;
  }): AsyncIterable<readonly unknown[]>;
}

/**
 * Runs an event whose authenticity is already established (it came from an
 * authenticated read of Apideck's API) through the live path: claim, publish
 * with the `recovered` attribute, complete.
 */
export type EventRecoverer = (event: ApideckEvent) => Promise<ClaimAndPublishOutcome>;

/** Reads an event's idempotency record without changing it (dry runs). */
export interface IdempotencyRecordReader {
  read(eventId: string): Promise<IdempotencyRecord | undefined>;
}
