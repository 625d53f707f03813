import { HOUR_MS } from '../domain/time.ts';
/**
 * How far back a reconciliation may read. An event is deduplicated only while
 * its idempotency record lives; the receiver accepts events up to retention
 * minus the replay margin old for that reason, and a reconciliation keeps to
 * the same bound, so it can never publish an event whose record has expired.
 */

/** The retention settings the bound derives from (the receiver's own). */
export interface RetentionPolicy {
  readonly retentionDays: number;
  readonly replayMarginHours: number;
}

/** The event-log window of one run. */
export interface ReconcileWindow {
  readonly sinceMs: number;
  readonly untilMs: number;
}

/** A window that reaches past what the idempotency records cover. */
export class WindowRefusedError extends Error {
  override readonly name = 'WindowRefusedError';
}

/** The longest window allowed, in hours. */
export function maxWindowHours(policy: RetentionPolicy): number {
  return policy.retentionDays * 24 - policy.replayMarginHours;
}

/**
 * The window `[now - sinceMs, now]`.
 *
 * @throws WindowRefusedError when it is longer than {@link maxWindowHours}, or not positive.
 */
export function reconcileWindow(
  sinceMs: number,
  nowMs: number,
  policy: RetentionPolicy,
): ReconcileWindow {
  const maxHours = maxWindowHours(policy);
  if (!(sinceMs > 0)) throw new WindowRefusedError('the window must be longer than zero');
  if (sinceMs > maxHours * HOUR_MS) {
    throw new WindowRefusedError(
      `a window of ${Math.round((sinceMs / HOUR_MS) * 10) / 10} h reaches past what the idempotency ` +
        `records cover: they are kept ${policy.retentionDays} days, minus the ` +
        `${policy.replayMarginHours} h replay margin leaves ${maxHours} h; an older event could be ` +
        'published twice',
    );
  }
  return { sinceMs: nowMs - sinceMs, untilMs: nowMs };
}
