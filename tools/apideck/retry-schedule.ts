/**
 * Apideck's delivery retry schedule (WEBHOOKS.md, "Delivery"): after a failed
 * first attempt, up to nine more on a fixed schedule, inside a time-to-live
 * counted from the first attempt.
 */
import { HOUR_MS, MINUTE_MS } from '../../lambda/domain/time.ts';

/** Delay before retry n (n = 1..9), after the previous attempt: 3, 5, 10 and 30 min, 1, 2, 4, 8 and 12 h. */
export const RETRY_DELAYS_MS: readonly number[] = [3, 5, 10, 30, 60, 120, 240, 480, 720].map(
  (minutes) => minutes * MINUTE_MS,
);

/**
 * The delivery time-to-live. The delays add up to 27 h 48 min, so the last
 * retry (12 h after the 8 h one) falls outside a 24 h TTL: with the documented
 * TTL an event gets nine attempts, and the tenth is never sent.
 */
export const DELIVERY_TIME_TO_LIVE_MS = 24 * HOUR_MS;

/** Apideck's hard timeout per delivery attempt. */
export const ATTEMPT_TIMEOUT_MS = 60_000;

/**
 * When the next attempt after attempt `attempt` (1-based) is due, or
 * `undefined` when the schedule is exhausted or the next attempt would fall
 * outside the time-to-live.
 */
export function nextAttemptAt(
  firstAttemptAtMs: number,
  attempt: number,
  lastAttemptAtMs: number,
  timeToLiveMs: number = DELIVERY_TIME_TO_LIVE_MS,
): number | undefined {
  const delay = RETRY_DELAYS_MS[attempt - 1];
  if (delay === undefined) return undefined;
  const at = lastAttemptAtMs + delay;
  return at - firstAttemptAtMs <= timeToLiveMs ? at : undefined;
}
