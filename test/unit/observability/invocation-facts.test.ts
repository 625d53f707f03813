import { describe, expect, it } from 'vitest';
import { maxMemoryMb, sampledTraceId } from '../../../lambda/observability/invocation-facts.ts';

const ROOT = '1-6753a0f1-1b2c3d4e5f6a7b8c9d0e1f2a';

describe('sampledTraceId', () => {
  it('is the root of a sampled invocation', () => {
    expect(sampledTraceId(`Root=${ROOT};Parent=5d6e7f8a9b0c1d2e;Sampled=1`)).toBe(ROOT);
  });

  it('is undefined for an invocation that was not sampled', () => {
    expect(sampledTraceId(`Root=${ROOT};Parent=5d6e7f8a9b0c1d2e;Sampled=0`)).toBeUndefined();
  });

  it('is undefined without a header', () => {
    expect(sampledTraceId(undefined)).toBeUndefined();
  });

  it('reads the parts in any order', () => {
    expect(sampledTraceId(`Sampled=1;Lineage=a:0;Root=${ROOT}`)).toBe(ROOT);
  });

  it('is undefined for a sampled header without a root', () => {
    expect(sampledTraceId('Parent=5d6e7f8a9b0c1d2e;Sampled=1')).toBeUndefined();
  });
});

describe('maxMemoryMb', () => {
  it("is the process's peak resident memory in whole MB", () => {
    const expected = Math.ceil(process.resourceUsage().maxRSS / 1024);
    expect(maxMemoryMb()).toBeGreaterThanOrEqual(expected);
  });
});
