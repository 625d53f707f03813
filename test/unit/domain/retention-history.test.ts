import { describe, expect, it } from 'vitest';
import {
  acceptedMaxAgeMs,
  historyIndependentAgeMs,
  type RetentionChange,
  shortestRetentionDaysSince,
} from '../../../lambda/domain/retention-history.ts';
import { DAY_MS } from '../../../lambda/domain/time.ts';

const T0 = Date.UTC(2026, 9, 1);
const MARGIN_MS = 24 * 3_600_000;

/** A history of `[days, days after T0]` pairs. */
function history(...changes: Array<readonly [number, number]>): RetentionChange[] {
  return changes.map(([days, after]) => ({ days, sinceMs: T0 + after * DAY_MS }));
}

describe('shortestRetentionDaysSince', () => {
  it('is the current retention when nothing was recorded', () => {
    expect(shortestRetentionDaysSince([], T0, 30)).toBe(30);
  });

  it('after a raise, is the earlier retention for an event that occurred before the raise', () => {
    expect(shortestRetentionDaysSince(history([7, 0], [30, 10]), T0 + 5 * DAY_MS, 30)).toBe(7);
  });

  it('after a raise, is the new retention for an event that occurred after it', () => {
    expect(shortestRetentionDaysSince(history([7, 0], [30, 10]), T0 + 11 * DAY_MS, 30)).toBe(30);
  });

  it('after a lowering, is the new retention for an event that occurred before it', () => {
    expect(shortestRetentionDaysSince(history([30, 0], [7, 10]), T0 + 5 * DAY_MS, 7)).toBe(7);
  });

  it('remembers a short retention between two longer ones', () => {
    expect(
      shortestRetentionDaysSince(history([30, 0], [3, 10], [30, 12]), T0 + 5 * DAY_MS, 30),
    ).toBe(3);
  });

  it('is the current retention when it is shorter than every recorded one', () => {
    expect(shortestRetentionDaysSince(history([30, 0]), T0 + DAY_MS, 7)).toBe(7);
  });

  it('assumes the first recorded retention before the ledger began', () => {
    expect(shortestRetentionDaysSince(history([14, 10], [30, 20]), T0, 30)).toBe(14);
  });

  it('reads the history in time order, however it is stored', () => {
    expect(shortestRetentionDaysSince(history([30, 10], [7, 0]), T0 + 5 * DAY_MS, 30)).toBe(7);
  });
});

describe('acceptedMaxAgeMs', () => {
  it('is the shortest retention since the event, minus the replay margin', () => {
    expect(acceptedMaxAgeMs(history([7, 0], [30, 10]), T0 + DAY_MS, 30, MARGIN_MS)).toBe(
      7 * DAY_MS - MARGIN_MS,
    );
  });
});

describe('historyIndependentAgeMs', () => {
  it('is the least retention allowed (2 days) minus the replay margin', () => {
    expect(historyIndependentAgeMs(MARGIN_MS)).toBe(2 * DAY_MS - MARGIN_MS);
  });
});
