/**
 * The in-memory fakes must refuse what the real adapters refuse, or the
 * receiver tests built on them prove nothing.
 */
import { describe, expect, it } from 'vitest';
import { type IdempotencyRecord, newClaimRecord } from '../../../lambda/domain/idempotency.ts';
import { IdempotencyStoreError } from '../../../lambda/errors.ts';
import { InMemoryIdempotencyStore } from '../../support/in-memory-ports.ts';

const NOW_MS = Date.UTC(2026, 10, 26, 12);

function claimRecord(token: string, fingerprint = 'f1', nowMs = NOW_MS): IdempotencyRecord {
  return newClaimRecord({
    eventId: 'evt-1',
    eventType: 'vault.connection.created',
    fingerprint,
    nowMs,
    leaseMs: 30_000,
    retentionMs: 86_400_000,
    claimToken: token,
  });
}

describe('InMemoryIdempotencyStore', () => {
  it('refuses a claim over a live claim and returns the record in the way', async () => {
    const store = new InMemoryIdempotencyStore();
    await store.claim(claimRecord('t1'), NOW_MS);
    expect(await store.claim(claimRecord('t2', 'f1', NOW_MS + 1), NOW_MS + 1)).toEqual({
      claimed: false,
      existing: claimRecord('t1'),
    });
  });

  it('lets a claim of the same payload take over once the lease ran out', async () => {
    const store = new InMemoryIdempotencyStore();
    await store.claim(claimRecord('t1'), NOW_MS);
    await store.claim(claimRecord('t2', 'f1', NOW_MS + 30_000), NOW_MS + 30_000);
    expect(store.get('evt-1')?.claimToken).toBe('t2');
  });

  it('refuses to complete a claim it no longer holds', async () => {
    const store = new InMemoryIdempotencyStore();
    await store.claim(claimRecord('t1'), NOW_MS);
    await expect(store.complete('evt-1', 't-other', 'msg', NOW_MS)).rejects.toBeInstanceOf(
      IdempotencyStoreError,
    );
  });

  it('refuses to complete a record that is gone', async () => {
    const store = new InMemoryIdempotencyStore();
    await expect(store.complete('evt-1', 't1', 'msg', NOW_MS)).rejects.toBeInstanceOf(
      IdempotencyStoreError,
    );
  });

  it('does not release a record held by another claim', async () => {
    const store = new InMemoryIdempotencyStore();
    await store.claim(claimRecord('t1'), NOW_MS);
    await store.release('evt-1', 't-other');
    expect(store.get('evt-1')?.claimToken).toBe('t1');
  });

  it('does not release a COMPLETED record, even its own', async () => {
    const store = new InMemoryIdempotencyStore();
    await store.claim(claimRecord('t1'), NOW_MS);
    await store.complete('evt-1', 't1', 'msg', NOW_MS);
    await store.release('evt-1', 't1');
    expect(store.get('evt-1')?.status).toBe('COMPLETED');
  });
});
