import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../lambda/domain/time.ts';
import { reconcileWindow, WindowRefusedError } from '../../../lambda/reconcile/window.ts';

const NOW = Date.parse('2026-12-01T00:00:00.000Z');
const POLICY = { retentionDays: 7, replayMarginHours: 24 };

describe('reconcileWindow', () => {
  it('allows a window up to the retention minus the replay margin', () => {
    expect(reconcileWindow(144 * HOUR_MS, NOW, POLICY)).toEqual({
      sinceMs: NOW - 144 * HOUR_MS,
      untilMs: NOW,
    });
  });

  it('refuses a window one hour longer, with the reason', () => {
    expect(() => reconcileWindow(145 * HOUR_MS, NOW, POLICY)).toThrow(
      /kept 7 days, minus the 24 h replay margin leaves 144 h/,
    );
  });

  it('refuses an empty window', () => {
    expect(() => reconcileWindow(0, NOW, POLICY)).toThrow(WindowRefusedError);
  });
});
