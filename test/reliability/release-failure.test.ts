/**
 * SNS fails, and so does the release of the claim (the conditional DeleteItem):
 * each delivery is answered 503 and its record stays IN_PROGRESS until its
 * lease ends. Apideck's retries are refused with 409 `in_progress` while the
 * lease runs; after it, they take the abandoned claims over and publish each
 * event exactly once (README, "Failure paths": SNS publish, and the release too).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import { countAnswers, eventIdOf, postAll } from './support/deliveries.ts';
import {
  answersStartingWith,
  Checks,
  countDeliveries,
  deliveryColumns,
  n,
  requestLogs,
} from './support/result.ts';
import { rowOf, runScenario } from './support/scenario.ts';
import { SIZES } from './support/size.ts';

const events = SIZES.releaseFailures;
/** The function timeout the receiver counts its remaining time from. */
const functionTimeoutMs = 5_000;
const leaseMarginSeconds = 1;
const AFTER_LEASE_MS = 250;

describe('a failed publish whose release fails too', () => {
  it('answers 503 and holds the claim, refuses retries with 409 until the lease ends, then delivers each once', async ({
    task,
  }) => {
    const options = {
      functionTimeoutMs,
      environment: { [ENVIRONMENT.leaseMarginSeconds]: String(leaseMarginSeconds) },
    };
    const rows = await runScenario(
      task,
      'release-failure',
      options,
      async ({ pipeline, fresh, retry }) => {
        const { proxy } = pipeline;
        const bodies = fresh(events);
        const ids = bodies.map(eventIdOf);
        const checks = new Checks();
        proxy.fail('sns');
        const removeRule = proxy.intercept((request) =>
          request.service === 'dynamodb' && request.operation === 'DeleteItem'
            ? { kind: 'unavailable' }
            : undefined,
        );
        const during = await postAll(pipeline.receiver.url, bodies, events);
        proxy.heal();
        removeRule();
        const answers = countAnswers(during);
        const releaseFailed = requestLogs(pipeline.receiver.lines).filter(
          (log) => log.publish_failed === true && log.release_failed === true,
        ).length;
        const records = await pipeline.records();
        const held = records.filter((record) => record.status === 'IN_PROGRESS');
        const leaseEndsAtMs = Math.max(...held.map((record) => record.leaseExpiresAtMs));
        const firstLeaseEndsAtMs = Math.min(...held.map((record) => record.leaseExpiresAtMs));
        checks.equal(
          '503 unavailable answers during the outage',
          answers['503 unavailable'] ?? 0,
          events,
        );
        checks.equal(
          'deliveries logged with a failed publish and a failed release',
          releaseFailed,
          events,
        );
        checks.equal('records left IN_PROGRESS', held.length, events);

        const early = bodies.map((body) => retry(body));
        const earlySentAtMs = Date.now();
        const earlyResults = await postAll(pipeline.receiver.url, early, events);
        countAnswers(earlyResults, answers);
        checks.expect(
          earlySentAtMs < firstLeaseEndsAtMs,
          'the early retries were sent after a lease had ended (timing)',
        );
        checks.equal(
          '409 in_progress answers before the leases end',
          countAnswers(earlyResults)['409 in_progress'] ?? 0,
          events,
        );
        const earlyDeliveries = await pipeline.drain(undefined, 500);
        checks.equal('deliveries before the leases end', earlyDeliveries.length, 0);

        await sleep(Math.max(0, leaseEndsAtMs + AFTER_LEASE_MS - Date.now()));
        const late = early.map((body) => retry(body));
        const lateResults = await postAll(pipeline.receiver.url, late, events);
        countAnswers(lateResults, answers);
        checks.equal(
          '200 published answers after the leases end',
          countAnswers(lateResults)['200 published'] ?? 0,
          events,
        );
        const lateDeliveries = await pipeline.drain(events, 1_000);
        const again = await postAll(
          pipeline.receiver.url,
          late.map((body) => retry(body)),
          events,
        );
        countAnswers(again, answers);
        checks.equal(
          '200 duplicate answers to one more retry',
          countAnswers(again)['200 duplicate'] ?? 0,
          events,
        );
        const againDeliveries = await pipeline.drain(undefined, 1_000);
        const count = countDeliveries(
          [...earlyDeliveries, ...lateDeliveries, ...againDeliveries],
          ids,
        );
        checks.equal(
          '5xx answers after the outage',
          answersStartingWith(countAnswers([...earlyResults, ...lateResults, ...again]), '5'),
          0,
        );
        checks.deliveredOnce(count, events);
        const leases = held.map((record) =>
          ((record.leaseExpiresAtMs - record.claimedAtMs) / 1000).toFixed(2),
        );
        return [
          {
            scenario: 'SNS unavailable and the release fails too',
            sent: `${n(events)} new events while SNS and DynamoDB DeleteItem fail; then Apideck's retries before the leases end, after, and once more`,
            answers,
            ...deliveryColumns(count),
            expected:
              '503, record left IN_PROGRESS; 409 until the lease ends; then delivered once each; then 200 duplicate',
            failures: checks.failures,
            notes: [
              `function timeout ${functionTimeoutMs / 1000} s, ${ENVIRONMENT.leaseMarginSeconds}=${leaseMarginSeconds}: leases of ${[...new Set(leases)].join(', ')} s`,
            ],
          },
        ];
      },
    );

    expect(rowOf(rows)).toMatchObject({ delivered: events, duplicated: 0, lost: 0 });
  });
});
