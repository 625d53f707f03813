import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallTimeoutError, callWithin } from '../../../lambda/adapters/call-within.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('callWithin', () => {
  it('resolves to what the call resolves to', async () => {
    await expect(callWithin(1_000, async () => 'answer')).resolves.toBe('answer');
  });

  it('rejects with CallTimeoutError when the call outlives its budget, even if it ignores the signal', async () => {
    const settled = callWithin(1_000, () => new Promise<never>(() => undefined));
    const assertion = expect(settled).rejects.toBeInstanceOf(CallTimeoutError);
    await vi.advanceTimersByTimeAsync(1_000);
    await assertion;
  });

  it('aborts the signal it gave the call when the budget runs out', async () => {
    let signal: AbortSignal | undefined;
    const settled = callWithin(500, (given) => {
      signal = given;
      return new Promise<never>(() => undefined);
    });
    settled.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(500);
    expect(signal?.aborted).toBe(true);
  });

  it('passes on what the call throws synchronously, and clears its timer', async () => {
    const failure = new Error('bad input');
    const settled = callWithin(1_000, () => {
      throw failure;
    });
    await expect(settled).rejects.toBe(failure);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears its timer once the call settles', async () => {
    await callWithin(1_000, async () => 'answer');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes on what the call throws', async () => {
    const failure = new Error('refused');
    await expect(callWithin(1_000, async () => Promise.reject(failure))).rejects.toBe(failure);
  });
});
