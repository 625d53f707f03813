import { describe, expect, it } from 'vitest';
import {
  checkReplayWindow,
  type ReplayWindowPolicy,
} from '../../../lambda/domain/replay-window.ts';
import { HOUR_MS } from '../../../lambda/domain/time.ts';

const NOW_MS = Date.UTC(2026, 10, 26, 12);
const POLICY: ReplayWindowPolicy = { maxAgeMs: 144 * HOUR_MS, maxFutureMs: 300_000 };

describe('checkReplayWindow', () => {
  it('accepts an event that occurred just now', () => {
    expect(checkReplayWindow(NOW_MS, NOW_MS, POLICY)).toBe('inside');
  });

  it('accepts an event exactly as old as the window allows', () => {
    expect(checkReplayWindow(NOW_MS - POLICY.maxAgeMs, NOW_MS, POLICY)).toBe('inside');
  });

  it('refuses an event 1 ms older than the window allows as too old', () => {
    expect(checkReplayWindow(NOW_MS - POLICY.maxAgeMs - 1, NOW_MS, POLICY)).toBe('too-old');
  });

  it('accepts an event exactly at the allowed clock skew in the future', () => {
    expect(checkReplayWindow(NOW_MS + POLICY.maxFutureMs, NOW_MS, POLICY)).toBe('inside');
  });

  it('refuses an event 1 ms beyond the allowed clock skew as in the future', () => {
    expect(checkReplayWindow(NOW_MS + POLICY.maxFutureMs + 1, NOW_MS, POLICY)).toBe('in-future');
  });

  it('refuses any future event when no skew is allowed', () => {
    expect(checkReplayWindow(NOW_MS + 1, NOW_MS, { ...POLICY, maxFutureMs: 0 })).toBe('in-future');
  });
});
