import { describe, expect, it, vi } from 'vitest';
import { ANSWER_MARGIN_MS, MIN_CALL_MS, RESERVE_MS } from '../../../lambda/domain/deadline.ts';
import { RECOVERED_ATTRIBUTE } from '../../../lambda/domain/sns-message.ts';
import { DAY_MS } from '../../../lambda/domain/time.ts';
import { IdempotencyStoreError } from '../../../lambda/errors.ts';
import { buildEvent, wireText } from '../../support/apideck-events.ts';
import {
  createDeliveryHarness,
  DEFAULT_POLICY,
  type DeliveryHarness,
  signedDeliveryRequest,
} from '../../support/delivery-harness.ts';
import { eventOf } from '../../support/delivery-outcomes.ts';

const OCCURRED_AT_MS = Date.parse('2026-11-26T12:00:00.000Z');

/** Delivers the sample event as if the invocation had `remainingTimeMs` left. */
function deliverWithin(harness: DeliveryHarness, remainingTimeMs: number) {
  return harness.receive({ ...signedDeliveryRequest(wireText(buildEvent())), remainingTimeMs });
}

describe('the invocation deadline', () => {
  it("gives the claim the invocation's remaining time, less the answer margin and the publish reserve", async () => {
    const harness = createDeliveryHarness();
    const claim = vi.spyOn(harness.store, 'claim');
    await deliverWithin(harness, 9_000);
    expect(claim.mock.calls[0]?.[2]).toEqual({
      timeoutMs: 9_000 - ANSWER_MARGIN_MS - RESERVE_MS.beforeClaim,
    });
  });

  it('gives the publish what is left, less the reserve for recording its result', async () => {
    const harness = createDeliveryHarness();
    const publish = vi.spyOn(harness.publisher, 'publish');
    await deliverWithin(harness, 9_000);
    expect(publish.mock.calls[0]?.[2]).toEqual({
      timeoutMs: 9_000 - ANSWER_MARGIN_MS - RESERVE_MS.beforePublish,
    });
  });

  it('does not read the keys when too little time is left for the steps after them', async () => {
    const harness = createDeliveryHarness();
    const outcome = await deliverWithin(harness, ANSWER_MARGIN_MS + RESERVE_MS.beforeKeys);
    expect({ kind: outcome.kind, reads: harness.secret.reads }).toEqual({
      kind: 'unavailable',
      reads: 0,
    });
  });

  it('releases the claim without publishing when the claim used up the time for the publish', async () => {
    const harness = createDeliveryHarness();
    vi.spyOn(harness.store, 'claim').mockImplementation(async (record) => {
      harness.clock.advance(9_000 - ANSWER_MARGIN_MS - RESERVE_MS.beforePublish - MIN_CALL_MS + 1);
      harness.store.put(record);
      return { claimed: true } as const;
    });
    const outcome = await deliverWithin(harness, 9_000);
    expect({
      kind: outcome.kind,
      publishAttempts: harness.publisher.attempts,
      records: harness.store.size,
    }).toEqual({ kind: 'unavailable', publishAttempts: 0, records: 0 });
  });
});

describe('the retention ledger', () => {
  it("records the container's retention before its first claim", async () => {
    const harness = createDeliveryHarness();
    await deliverWithin(harness, 9_000);
    expect(harness.retentionLedger.changes).toEqual([
      { days: DEFAULT_POLICY.retentionMs / DAY_MS, sinceMs: harness.clock.now() },
    ]);
  });

  it('claims nothing while the retention cannot be recorded', async () => {
    const harness = createDeliveryHarness();
    harness.retentionLedger.failWith(new IdempotencyStoreError('recording the retention failed'));
    const outcome = await deliverWithin(harness, 9_000);
    expect({ kind: outcome.kind, claims: harness.store.calls.length }).toEqual({
      kind: 'unavailable',
      claims: 0,
    });
  });

  /** 30 days kept now, raised yesterday from 7 days, `days` after the event occurred. */
  function afterRetentionRaise(days: number): DeliveryHarness {
    const nowMs = OCCURRED_AT_MS + days * DAY_MS;
    const harness = createDeliveryHarness({
      nowMs,
      policy: {
        retentionMs: 30 * DAY_MS,
        replayWindow: { maxAgeMs: 29 * DAY_MS, maxFutureMs: 300_000 },
      },
    });
    harness.retentionLedger.changes.push(
      { days: 7, sinceMs: OCCURRED_AT_MS - 30 * DAY_MS },
      { days: 30, sinceMs: nowMs - DAY_MS },
    );
    return harness;
  }

  it('refuses a replay older than a shorter retention in force since the event occurred', async () => {
    const harness = afterRetentionRaise(10);
    const outcome = await deliverWithin(harness, 9_000);
    expect({ outcome: outcome.kind, claims: harness.store.calls.length }).toEqual({
      outcome: 'replay-refused',
      claims: 0,
    });
  });

  it('accepts an event younger than the shorter retention after a raise', async () => {
    expect((await deliverWithin(afterRetentionRaise(5), 9_000)).kind).toBe('published');
  });

  it('does not read the ledger for an event younger than any retention allowed', async () => {
    const harness = createDeliveryHarness();
    const read = vi.spyOn(harness.retentionLedger, 'read');
    await deliverWithin(harness, 9_000);
    expect(read).not.toHaveBeenCalled();
  });
});

describe('a recovered event', () => {
  it('is published with the recovered attribute', async () => {
    const harness = createDeliveryHarness();
    const { createClaimAndPublish } = await import('../../../lambda/domain/claim-and-publish.ts');
    const { Deadline } = await import('../../../lambda/domain/deadline.ts');
    const { createRouter } = await import('../../../lambda/domain/routing.ts');
    const { TEST_TOPIC_ARNS } = await import('../../support/delivery-harness.ts');
    const deliver = createClaimAndPublish(
      {
        store: harness.store,
        retentionLedger: harness.retentionLedger,
        publisher: harness.publisher,
        router: createRouter(TEST_TOPIC_ARNS),
        now: harness.clock.now,
        newClaimToken: () => 'recovery-token',
      },
      DEFAULT_POLICY,
    );
    const outcome = await deliver(eventOf(buildEvent()), {
      deadline: Deadline.fromRemainingTime(9_000, harness.clock.now),
      leaseMs: 20_000,
      recovered: true,
    });
    expect({
      kind: outcome.kind,
      attribute: harness.publisher.published[0]?.message.attributes[RECOVERED_ATTRIBUTE],
    }).toEqual({ kind: 'published', attribute: 'true' });
  });
});
