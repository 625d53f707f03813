import { describe, expect, it } from 'vitest';
import {
  canClaimOver,
  classifyRefusal,
  type IdempotencyRecord,
  isExpired,
  newClaimRecord,
} from '../../../lambda/domain/idempotency.ts';
import { DAY_MS } from '../../../lambda/domain/time.ts';
import { ManualClock } from '../../support/in-memory-ports.ts';

const CLAIMED_AT_MS = Date.UTC(2026, 10, 26, 12, 0, 0, 250);
const LEASE_MS = 35_000;
const RETENTION_MS = 7 * DAY_MS;
const FINGERPRINT = 'a'.repeat(64);
const OTHER_FINGERPRINT = 'b'.repeat(64);
const OTHER_TOKEN = 'another-claim';

/** The record a claim at {@link CLAIMED_AT_MS} writes, optionally changed. */
function record(changes: Partial<IdempotencyRecord> = {}): IdempotencyRecord {
  return {
    ...newClaimRecord({
      eventId: 'evt-1',
      eventType: 'vault.connection.created',
      fingerprint: FINGERPRINT,
      nowMs: CLAIMED_AT_MS,
      leaseMs: LEASE_MS,
      retentionMs: RETENTION_MS,
      claimToken: 'token-1',
    }),
    ...changes,
  };
}

const completed = (changes: Partial<IdempotencyRecord> = {}) =>
  record({ status: 'COMPLETED', messageId: 'msg-1', ...changes });

/** A clock at the claim, to move into each state. */
function clockAtClaim(): ManualClock {
  return new ManualClock(CLAIMED_AT_MS);
}

describe('newClaimRecord', () => {
  it('writes an IN_PROGRESS record owned by the claim token', () => {
    expect(record()).toEqual({
      eventId: 'evt-1',
      status: 'IN_PROGRESS',
      claimToken: 'token-1',
      leaseExpiresAtMs: CLAIMED_AT_MS + LEASE_MS,
      expiresAtSeconds: Math.ceil((CLAIMED_AT_MS + RETENTION_MS) / 1000),
      eventType: 'vault.connection.created',
      fingerprint: FINGERPRINT,
      claimedAtMs: CLAIMED_AT_MS,
    });
  });

  it('stores an event type with a lone surrogate as U+FFFD, keeping surrogate pairs', () => {
    const claim = newClaimRecord({
      eventId: 'evt-1',
      eventType: 'vault.\ud83d.😀',
      fingerprint: FINGERPRINT,
      nowMs: CLAIMED_AT_MS,
      leaseMs: LEASE_MS,
      retentionMs: RETENTION_MS,
      claimToken: 'token-1',
    });
    expect(claim.eventType).toBe('vault.\uFFFD.😀');
  });

  it('rounds the retention up to the next whole second', () => {
    // 250 ms past a second: the record must not expire before the full retention.
    expect(record().expiresAtSeconds * 1000).toBe(CLAIMED_AT_MS + RETENTION_MS + 750);
  });

  it('carries no message id', () => {
    expect(record()).not.toHaveProperty('messageId');
  });
});

describe('isExpired', () => {
  it('is false 1 ms before the retention ends', () => {
    expect(isExpired(record(), record().expiresAtSeconds * 1000 - 1)).toBe(false);
  });

  it('is true the moment the retention ends', () => {
    expect(isExpired(record(), record().expiresAtSeconds * 1000)).toBe(true);
  });
});

describe('canClaimOver', () => {
  it('allows a claim when there is no record', () => {
    expect(canClaimOver(undefined, FINGERPRINT, CLAIMED_AT_MS)).toBe(true);
  });

  it('refuses a claim over a live IN_PROGRESS record', () => {
    const clock = clockAtClaim();
    clock.advance(LEASE_MS - 1);
    expect(canClaimOver(record(), FINGERPRINT, clock.now())).toBe(false);
  });

  it('allows a claim over an IN_PROGRESS record of the same payload whose lease ran out', () => {
    const clock = clockAtClaim();
    clock.advance(LEASE_MS);
    expect(canClaimOver(record(), FINGERPRINT, clock.now())).toBe(true);
  });

  it('refuses a claim over an IN_PROGRESS record of another payload whose lease ran out', () => {
    const clock = clockAtClaim();
    clock.advance(LEASE_MS);
    expect(canClaimOver(record(), OTHER_FINGERPRINT, clock.now())).toBe(false);
  });

  it('refuses a claim over a COMPLETED record within retention, lease or not', () => {
    const clock = clockAtClaim();
    clock.advance(DAY_MS);
    expect(canClaimOver(completed(), FINGERPRINT, clock.now())).toBe(false);
  });

  it('allows a claim over a COMPLETED record once its retention passed', () => {
    const clock = clockAtClaim();
    clock.set(completed().expiresAtSeconds * 1000);
    expect(canClaimOver(completed(), FINGERPRINT, clock.now())).toBe(true);
  });

  it('allows a claim over an expired record of another payload', () => {
    const clock = clockAtClaim();
    clock.set(completed().expiresAtSeconds * 1000);
    expect(canClaimOver(completed(), OTHER_FINGERPRINT, clock.now())).toBe(true);
  });
});

describe('classifyRefusal', () => {
  it("recognises the caller's own IN_PROGRESS claim (a retried write that met itself)", () => {
    const own = record();
    expect(classifyRefusal(own, FINGERPRINT, CLAIMED_AT_MS, own.claimToken)).toEqual({
      kind: 'own-claim',
    });
  });

  it("does not take a COMPLETED record with the caller's token for a claim to publish", () => {
    const done = completed();
    expect(classifyRefusal(done, FINGERPRINT, CLAIMED_AT_MS, done.claimToken).kind).toBe(
      'duplicate',
    );
  });

  it('asks to claim again when the record vanished', () => {
    expect(classifyRefusal(undefined, FINGERPRINT, CLAIMED_AT_MS, OTHER_TOKEN)).toEqual({
      kind: 'retry',
    });
  });

  it('asks to claim again over a record whose retention passed, even COMPLETED', () => {
    const clock = clockAtClaim();
    clock.set(completed().expiresAtSeconds * 1000);
    expect(classifyRefusal(completed(), FINGERPRINT, clock.now(), OTHER_TOKEN)).toEqual({
      kind: 'retry',
    });
  });

  it('asks to claim again over an expired record of another payload', () => {
    const clock = clockAtClaim();
    clock.set(record().expiresAtSeconds * 1000 + 1);
    expect(classifyRefusal(record(), OTHER_FINGERPRINT, clock.now(), OTHER_TOKEN)).toEqual({
      kind: 'retry',
    });
  });

  it('asks to claim again over an abandoned claim of the same payload (lease ran out)', () => {
    const clock = clockAtClaim();
    clock.advance(LEASE_MS + 1);
    expect(classifyRefusal(record(), FINGERPRINT, clock.now(), OTHER_TOKEN)).toEqual({
      kind: 'retry',
    });
  });

  it('reports a payload conflict for an abandoned claim of another payload', () => {
    const clock = clockAtClaim();
    clock.advance(LEASE_MS + 1);
    expect(classifyRefusal(record(), OTHER_FINGERPRINT, clock.now(), OTHER_TOKEN)).toEqual({
      kind: 'payload-conflict',
    });
  });

  it('reports a payload conflict for a live claim of another payload', () => {
    const clock = clockAtClaim();
    clock.advance(1_000);
    expect(classifyRefusal(record(), OTHER_FINGERPRINT, clock.now(), OTHER_TOKEN)).toEqual({
      kind: 'payload-conflict',
    });
  });

  it('reports a duplicate for a COMPLETED record of the same payload, with its message id', () => {
    const clock = clockAtClaim();
    clock.advance(DAY_MS);
    expect(classifyRefusal(completed(), FINGERPRINT, clock.now(), OTHER_TOKEN)).toEqual({
      kind: 'duplicate',
      messageId: 'msg-1',
    });
  });

  it('reports a duplicate without a message id when the record has none', () => {
    const { messageId: _, ...withoutMessageId } = completed();
    expect(classifyRefusal(withoutMessageId, FINGERPRINT, CLAIMED_AT_MS + 1, OTHER_TOKEN)).toEqual({
      kind: 'duplicate',
    });
  });

  it('reports a payload conflict for a COMPLETED record of another payload', () => {
    const clock = clockAtClaim();
    clock.advance(DAY_MS);
    expect(classifyRefusal(completed(), OTHER_FINGERPRINT, clock.now(), OTHER_TOKEN)).toEqual({
      kind: 'payload-conflict',
    });
  });

  it.each([
    [1, 35],
    [1_000, 34],
    [1_001, 34],
    [1_500, 34],
    [LEASE_MS - 1_000, 1],
    [LEASE_MS - 999, 1],
    [LEASE_MS - 1, 1],
  ])(
    'reports in-progress %i ms into a live lease, retry after %i s (rounded up)',
    (elapsedMs, seconds) => {
      const clock = clockAtClaim();
      clock.advance(elapsedMs);
      expect(classifyRefusal(record(), FINGERPRINT, clock.now(), OTHER_TOKEN)).toEqual({
        kind: 'in-progress',
        retryAfterSeconds: seconds,
      });
    },
  );
});
