import { describe, expect, it } from 'vitest';
import { ANSWER_MARGIN_MS, Deadline, MIN_CALL_MS } from '../../../lambda/domain/deadline.ts';
import { ManualClock } from '../../support/in-memory-ports.ts';

describe('Deadline', () => {
  it('gives a call the remaining time less the margin kept for the answer', () => {
    const clock = new ManualClock(1_000);
    expect(Deadline.fromRemainingTime(9_000, clock.now).budget()).toEqual({
      timeoutMs: 9_000 - ANSWER_MARGIN_MS,
    });
  });

  it('keeps back the reserve of the calls that must follow', () => {
    const clock = new ManualClock(1_000);
    expect(Deadline.fromRemainingTime(9_000, clock.now).budget(2_000)).toEqual({
      timeoutMs: 9_000 - ANSWER_MARGIN_MS - 2_000,
    });
  });

  it('shrinks as the invocation goes on, so budgets never add up past it', () => {
    const clock = new ManualClock(1_000);
    const deadline = Deadline.fromRemainingTime(9_000, clock.now);
    clock.advance(4_000);
    expect(deadline.budget()).toEqual({ timeoutMs: 5_000 - ANSWER_MARGIN_MS });
  });

  it('gives no budget when less than the least worth a call is left', () => {
    const clock = new ManualClock(1_000);
    const deadline = Deadline.fromRemainingTime(ANSWER_MARGIN_MS + MIN_CALL_MS - 1, clock.now);
    expect(deadline.budget()).toBeUndefined();
  });
});
