import { afterEach } from 'vitest';
import { type FaultProxy, operationRule } from '../../tools/emulator/fault-proxy.ts';

/**
 * Fault rules that last one test: `onOperation(...)` applies an
 * {@link operationRule} to the suite's proxy, and every rule applied is
 * removed after each test. Call at the top of a suite; `proxy` is read when a
 * rule is applied (the suite starts it in `beforeAll`).
 */
export function faultsPerTest(
  proxy: () => FaultProxy,
): (...rule: Parameters<typeof operationRule>) => void {
  const removals: Array<() => void> = [];
  afterEach(() => {
    for (const remove of removals.splice(0)) remove();
  });
  return (...rule) => {
    removals.push(proxy().intercept(operationRule(...rule)));
  };
}
