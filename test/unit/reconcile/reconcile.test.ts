import { describe, expect, it } from 'vitest';
import type { ClaimAndPublishOutcome } from '../../../lambda/domain/claim-and-publish.ts';
import type { ApideckEvent } from '../../../lambda/domain/envelope.ts';
import type { IdempotencyRecord } from '../../../lambda/domain/idempotency.ts';
import { DAY_MS } from '../../../lambda/domain/time.ts';
import type { EventLogSource } from '../../../lambda/reconcile/ports.ts';
import {
  type ReconcileDependencies,
  type ReconcileRequest,
  reconcile,
  summaryLine,
} from '../../../lambda/reconcile/reconcile.ts';
import { buildEvent } from '../../support/apideck-events.ts';

const URL = 'https://hooks.example.com/prod/webhooks';
const NOW = Date.parse('2026-11-27T00:00:00.000Z');
const REQUEST: ReconcileRequest = {
  window: { sinceMs: NOW - 2 * DAY_MS, untilMs: NOW },
  webhookUrl: URL,
  replayWindow: { maxAgeMs: 6 * DAY_MS, maxFutureMs: 300_000 },
  dryRun: false,
};

function logEntry(eventId: string, overrides: Record<string, unknown> = {}) {
  return {
    endpoint: URL,
    request_body: JSON.stringify(buildEvent({ payload: { event_id: eventId } })),
    ...overrides,
  };
}

function pagesOf(...pages: unknown[][]): EventLogSource {
  return {
    async *pages() {
      for (const page of pages) yield page;
    },
  };
}

function published(event: ApideckEvent): ClaimAndPublishOutcome {
  return {
    kind: 'published',
    event,
    route: { topicArn: 'arn:aws:sns:us-east-1:1:t', routed: true },
    messageId: 'm',
    completed: true,
    droppedAttributes: [],
    recovered: true,
  };
}

function dependencies(
  eventLog: EventLogSource,
  recover: (event: ApideckEvent) => ClaimAndPublishOutcome = published,
  records: Record<string, IdempotencyRecord> = {},
): ReconcileDependencies & { recovered: string[] } {
  const recovered: string[] = [];
  return {
    recovered,
    eventLog,
    now: () => NOW,
    records: { read: async (id) => records[id] },
    recover: async (event) => {
      recovered.push(event.eventId);
      return recover(event);
    },
  };
}

describe('reconcile', () => {
  it('runs each event once, however many entries (attempts) it has', async () => {
    const deps = dependencies(pagesOf([logEntry('a'), logEntry('b')], [logEntry('a')]));
    const summary = await reconcile(REQUEST, deps);
    expect([deps.recovered, summary.scanned, summary.events]).toEqual([['a', 'b'], 3, 2]);
  });

  it('counts an event already published as already delivered', async () => {
    const deps = dependencies(pagesOf([logEntry('a')]), (event) => ({ kind: 'duplicate', event }));
    expect((await reconcile(REQUEST, deps)).alreadyDelivered).toBe(1);
  });

  it('leaves an event in progress alone and counts it as skipped', async () => {
    const deps = dependencies(pagesOf([logEntry('a')]), (event) => ({
      kind: 'in-progress',
      event,
      retryAfterSeconds: 5,
    }));
    expect((await reconcile(REQUEST, deps)).skipped.inProgress).toBe(1);
  });

  it('counts a dependency failure as failed, for the next run to retry', async () => {
    const deps = dependencies(pagesOf([logEntry('a')]), (event) => ({
      kind: 'unavailable',
      dependency: 'SNS',
      error: new Error('down'),
      event,
      publishFailed: true,
      publishUncertain: false,
      releaseFailed: false,
    }));
    expect((await reconcile(REQUEST, deps)).failed).toBe(1);
  });

  it('skips, without running them, events older than the replay window', async () => {
    const old = new Date(NOW - 7 * DAY_MS).toISOString();
    const body = JSON.stringify(buildEvent({ payload: { event_id: 'old', occurred_at: old } }));
    const deps = dependencies(pagesOf([{ endpoint: URL, request_body: body }]));
    const summary = await reconcile(REQUEST, deps);
    expect([summary.skipped.outOfWindow, deps.recovered]).toEqual([1, []]);
  });

  it('counts entries of other endpoints and non-events as skipped', async () => {
    const validation = { endpoint: URL, request_body: '{"message":"Validating delivery URL"}' };
    const other = logEntry('x', { endpoint: 'https://other.example.com/hooks' });
    const summary = await reconcile(REQUEST, dependencies(pagesOf([validation, other])));
    expect([summary.skipped.notAnEvent, summary.skipped.otherEndpoint]).toEqual([1, 1]);
  });

  it('publishes nothing on a dry run, and reads the records instead', async () => {
    const completed: IdempotencyRecord = {
      eventId: 'a',
      status: 'COMPLETED',
      claimToken: 't',
      leaseExpiresAtMs: NOW,
      expiresAtSeconds: NOW / 1000 + 86_400,
      eventType: 'vault.connection.created',
      fingerprint: 'other-payload',
      claimedAtMs: NOW - 1000,
    };
    const deps = dependencies(pagesOf([logEntry('a'), logEntry('b')]), published, { a: completed });
    const summary = await reconcile({ ...REQUEST, dryRun: true }, deps);
    expect([deps.recovered, summary.recovered, summary.skipped.payloadConflict]).toEqual([
      [],
      1,
      1,
    ]);
  });

  it('stops before the next event when told to', async () => {
    let calls = 0;
    const deps = dependencies(pagesOf([logEntry('a'), logEntry('b')]));
    const summary = await reconcile(REQUEST, { ...deps, shouldStop: () => calls++ > 0 });
    expect([deps.recovered, summary.stoppedEarly]).toEqual([['a'], true]);
  });
});

describe('summaryLine', () => {
  it('says what was scanned, recovered, already delivered and skipped, on one line', async () => {
    const deps = dependencies(pagesOf([logEntry('a'), { endpoint: 'https://x.example/h' }]));
    const line = summaryLine(await reconcile(REQUEST, deps));
    expect(line).toBe(
      'reconcile: scanned 2 entries (1 events) from 2026-11-25T00:00:00.000Z to ' +
        '2026-11-27T00:00:00.000Z: recovered 1, already delivered 0, skipped 1 (other endpoint 1)',
    );
  });
});
