/**
 * The contract of the idempotency store port (`IdempotencyStore`,
 * lambda/domain/ports.ts), as one suite that runs against every
 * implementation: the in-memory fake (test/unit/support/in-memory-ports.test.ts)
 * and the DynamoDB adapter on the emulator
 * (test/integration/dynamodb-idempotency-store.test.ts). A rule the fake keeps
 * and DynamoDB does not (or the other way round) fails one of the two runs.
 *
 * Every case observes the store only through the port, on an event id of its
 * own; a new rule of the port is one more entry in {@link STORE_CONTRACT}.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type IdempotencyRecord, newClaimRecord } from '../../lambda/domain/idempotency.ts';
import type { IdempotencyStore } from '../../lambda/domain/ports.ts';
import { IdempotencyStoreError } from '../../lambda/errors.ts';

/** A moment the cases start from (whole seconds, as the table's TTL counts). */
export const CONTRACT_NOW_MS = Date.UTC(2026, 10, 26, 12);
const LEASE_MS = 30_000;
const RETENTION_MS = 86_400_000;

/** What a case is given: the store and a claim record builder for its own event id. */
export interface ContractCase {
  readonly store: IdempotencyStore;
  readonly eventId: string;
  /** The IN_PROGRESS record claim `token` writes for the case's event at `nowMs`. */
  readonly claimRecord: (
    token: string,
    options?: { fingerprint?: string; nowMs?: number },
  ) => IdempotencyRecord;
}

/** One rule of the port: what it states and how it is shown. */
export interface ContractRule {
  readonly behaviour: string;
  readonly check: (subject: ContractCase) => Promise<void>;
}

const NOW = CONTRACT_NOW_MS;

/** Every rule of the port, in the order of a record's life. */
export const STORE_CONTRACT: readonly ContractRule[] = [
  {
    behaviour: 'claims an event that no record holds',
    check: async ({ store, claimRecord }) => {
      expect(await store.claim(claimRecord('t1'), NOW)).toEqual({ claimed: true });
    },
  },
  {
    behaviour: 'refuses a claim over a live claim and returns the record in the way',
    check: async ({ store, claimRecord }) => {
      await store.claim(claimRecord('t1'), NOW);
      expect(await store.claim(claimRecord('t2', { nowMs: NOW + 1 }), NOW + 1)).toEqual({
        claimed: false,
        existing: claimRecord('t1'),
      });
    },
  },
  {
    behaviour: 'lets a claim of the same payload take over once the lease ran out',
    check: async ({ store, claimRecord }) => {
      await store.claim(claimRecord('t1'), NOW);
      const later = NOW + LEASE_MS;
      expect(await store.claim(claimRecord('t2', { nowMs: later }), later)).toEqual({
        claimed: true,
      });
      const refused = await store.claim(claimRecord('t3', { nowMs: later + 1 }), later + 1);
      expect(refused.claimed ? undefined : refused.existing?.claimToken).toBe('t2');
    },
  },
  {
    behaviour: 'refuses a claim of another payload even once the lease ran out',
    check: async ({ store, claimRecord }) => {
      await store.claim(claimRecord('t1'), NOW);
      const later = NOW + LEASE_MS;
      const refused = await store.claim(
        claimRecord('t2', { fingerprint: 'f2', nowMs: later }),
        later,
      );
      expect(refused).toEqual({ claimed: false, existing: claimRecord('t1') });
    },
  },
  {
    behaviour: 'completes its own claim: later claims find it COMPLETED with the message id',
    check: async ({ store, claimRecord }) => {
      await store.claim(claimRecord('t1'), NOW);
      await store.complete(claimRecord('t1').eventId, 't1', 'msg-1', NOW + 10);
      const later = NOW + LEASE_MS + 1;
      const refused = await store.claim(claimRecord('t2', { nowMs: later }), later);
      expect(refused.claimed).toBe(false);
      expect(refused.claimed ? undefined : refused.existing).toMatchObject({
        status: 'COMPLETED',
        claimToken: 't1',
        messageId: 'msg-1',
      });
    },
  },
  {
    behaviour: 'lets a claim replace any record whose retention has passed',
    check: async ({ store, claimRecord, eventId }) => {
      await store.claim(claimRecord('t1'), NOW);
      await store.complete(eventId, 't1', 'msg-1', NOW + 10);
      const expired = NOW + RETENTION_MS + 1_000;
      expect(
        await store.claim(claimRecord('t2', { fingerprint: 'f2', nowMs: expired }), expired),
      ).toEqual({ claimed: true });
    },
  },
  {
    behaviour: 'refuses to complete a claim that was taken over',
    check: async ({ store, claimRecord, eventId }) => {
      await store.claim(claimRecord('t1'), NOW);
      const later = NOW + LEASE_MS;
      await store.claim(claimRecord('t2', { nowMs: later }), later);
      await expect(store.complete(eventId, 't1', 'msg-1', later + 1)).rejects.toBeInstanceOf(
        IdempotencyStoreError,
      );
    },
  },
  {
    behaviour: 'refuses to complete a record that is gone',
    check: async ({ store, eventId }) => {
      await expect(store.complete(eventId, 't1', 'msg-1', NOW)).rejects.toBeInstanceOf(
        IdempotencyStoreError,
      );
    },
  },
  {
    behaviour: 'releases its own IN_PROGRESS claim: the next claim succeeds at once',
    check: async ({ store, claimRecord, eventId }) => {
      await store.claim(claimRecord('t1'), NOW);
      await store.release(eventId, 't1');
      expect(await store.claim(claimRecord('t2', { nowMs: NOW + 1 }), NOW + 1)).toEqual({
        claimed: true,
      });
    },
  },
  {
    behaviour: 'does not release a record held by another claim (and does not throw)',
    check: async ({ store, claimRecord, eventId }) => {
      await store.claim(claimRecord('t1'), NOW);
      await store.release(eventId, 't-other');
      const refused = await store.claim(claimRecord('t2', { nowMs: NOW + 1 }), NOW + 1);
      expect(refused).toEqual({ claimed: false, existing: claimRecord('t1') });
    },
  },
  {
    behaviour: 'does not release a COMPLETED record, even its own',
    check: async ({ store, claimRecord, eventId }) => {
      await store.claim(claimRecord('t1'), NOW);
      await store.complete(eventId, 't1', 'msg-1', NOW + 10);
      await store.release(eventId, 't1');
      const refused = await store.claim(claimRecord('t2', { nowMs: NOW + 20 }), NOW + 20);
      expect(refused.claimed ? undefined : refused.existing?.status).toBe('COMPLETED');
    },
  },
];

/**
 * Declares the contract's suite for one implementation: `store()` gives the
 * store a case runs against (a fresh one, or one shared by cases on distinct
 * event ids).
 */
export function describeIdempotencyStoreContract(
  implementation: string,
  store: () => IdempotencyStore,
): void {
  describe(`${implementation} keeps the idempotency store contract`, () => {
    it.for(STORE_CONTRACT)('$behaviour', async ({ check }) => {
      const eventId = `evt-${randomUUID()}`;
      await check({
        store: store(),
        eventId,
        claimRecord: (token, options = {}) =>
          newClaimRecord({
            eventId,
            eventType: 'vault.connection.created',
            fingerprint: options.fingerprint ?? 'f1',
            nowMs: options.nowMs ?? NOW,
            leaseMs: LEASE_MS,
            retentionMs: RETENTION_MS,
            claimToken: token,
          }),
      });
    });
  });
}
