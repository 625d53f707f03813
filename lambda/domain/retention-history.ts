/**
 * The replay window across changes of the retention. A record lives for the
 * retention in force when it was written; raising the retention widens the
 * window at once, while records written before keep their shorter expiry. So
 * the oldest event accepted is bounded by the shortest retention in force at
 * any time since the event occurred, read from a ledger of changes that every
 * container appends to before its first claim.
 */
import { LEAST_VALID_RETENTION_DAYS } from '../contract/limits.ts';
import { DAY_MS } from './time.ts';

/** One change of the retention: `days` in force from `sinceMs` on. */
export interface RetentionChange {
  readonly days: number;
  readonly sinceMs: number;
}

/**
 * The shortest retention, in days, of any record that can have been written
 * for an event that occurred at `occurredAtMs`: the one in force then and every
 * one since, the current included.
 *
 * Before the first recorded change (a version that kept no ledger) the first
 * recorded retention is assumed to have been in force. Assuming the least
 * retention allowed instead would refuse Apideck's late retries of events that
 * straddle the upgrade (a loss); this assumption can at worst accept a replay
 * of an event older than a retention raised in the very deploy that introduced
 * the ledger (a duplicate), which docs/failure-modes.md tells operators to avoid.
 */
export function shortestRetentionDaysSince(
  history: readonly RetentionChange[],
  occurredAtMs: number,
  currentDays: number,
): number {
  const ordered = [...history].sort((a, b) => a.sinceMs - b.sinceMs);
  let inForceAtOccurrence = ordered[0]?.days ?? currentDays;
  let shortest = currentDays;
  for (const change of ordered) {
    if (change.sinceMs <= occurredAtMs) inForceAtOccurrence = change.days;
    else shortest = Math.min(shortest, change.days);
  }
  return Math.min(shortest, inForceAtOccurrence);
}

/**
 * Events younger than this are inside the window whatever the history: every
 * record ever written was kept at least the shortest valid retention.
 */
export function historyIndependentAgeMs(replayMarginMs: number): number {
  return LEAST_VALID_RETENTION_DAYS * DAY_MS - replayMarginMs;
}

/** The oldest age accepted for an event that occurred at `occurredAtMs`, given the history. */
export function acceptedMaxAgeMs(
  history: readonly RetentionChange[],
  occurredAtMs: number,
  currentDays: number,
  replayMarginMs: number,
): number {
  return shortestRetentionDaysSince(history, occurredAtMs, currentDays) * DAY_MS - replayMarginMs;
}
