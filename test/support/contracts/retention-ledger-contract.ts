/**
 * The {@link RetentionLedger} contract, run against every implementation (the
 * in-memory fake in the unit tests, DynamoDB on the emulator in the
 * integration tests), so the fake cannot drift from the adapter.
 */
import { describe, expect, it } from 'vitest';
import type { RetentionLedger } from '../../../lambda/domain/ports.ts';

const T0 = Date.UTC(2026, 10, 1);

/** Declares the contract's tests for the ledgers `fresh` makes (each one empty). */
export function describeRetentionLedgerContract(
  name: string,
  fresh: () => Promise<RetentionLedger>,
): void {
  describe(`${name} (RetentionLedger contract)`, () => {
    it('reads nothing before anything was recorded', async () => {
      const ledger = await fresh();
      expect(await ledger.read()).toEqual([]);
    });

    it('reads back a recorded retention with the time it took effect', async () => {
      const ledger = await fresh();
      await ledger.record(7, T0);
      expect(await ledger.read()).toEqual([{ days: 7, sinceMs: T0 }]);
    });

    it('appends nothing when the retention recorded is the one in force', async () => {
      const ledger = await fresh();
      await ledger.record(7, T0);
      await ledger.record(7, T0 + 1_000);
      expect(await ledger.read()).toEqual([{ days: 7, sinceMs: T0 }]);
    });

    it('keeps every change in order, a return to an earlier retention included', async () => {
      const ledger = await fresh();
      await ledger.record(7, T0);
      await ledger.record(30, T0 + 1_000);
      await ledger.record(7, T0 + 2_000);
      expect(await ledger.read()).toEqual([
        { days: 7, sinceMs: T0 },
        { days: 30, sinceMs: T0 + 1_000 },
        { days: 7, sinceMs: T0 + 2_000 },
      ]);
    });
  });
}
