/**
 * The replay window: since nothing but the body is signed, a captured request
 * could be re-sent at any time. Accepting only events younger than the
 * idempotency retention (minus a margin) guarantees that the record which
 * deduplicates a replay outlives every acceptable replay.
 */

/** How far back and forward `occurred_at` may lie. */
export interface ReplayWindowPolicy {
  /** Oldest accepted age, in milliseconds (retention minus margin). */
  readonly maxAgeMs: number;
  /** Furthest accepted future, in milliseconds (clock skew). */
  readonly maxFutureMs: number;
}

/** Where an event falls relative to the window. */
export type ReplayWindowVerdict = 'inside' | 'too-old' | 'in-future';

/** Classifies an event's `occurred_at` against the window at `nowMs`. */
export function checkReplayWindow(
  occurredAtMs: number,
  nowMs: number,
  policy: ReplayWindowPolicy,
): ReplayWindowVerdict {
  if (occurredAtMs < nowMs - policy.maxAgeMs) return 'too-old';
  if (occurredAtMs > nowMs + policy.maxFutureMs) return 'in-future';
  return 'inside';
}
