/**
 * SNS fails, and so does the release of the claim (the conditional DeleteItem):
 * each delivery is answered 503 and its record stays IN_PROGRESS until its
 * lease ends. Apideck's retries are refused with 409 `in_progress` while the
 * lease runs; after it, they take the abandoned claims over and publish each
 * event exactly once (README, "Failure paths": SNS publish, and the release too).
 */
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import { countAnswers, eventIdOf, type PreparedBody, postAll } from './support/deliveries.ts';
import {
  answersStartingWith,
  Checks,
  countDeliveries,
  deliveryColumns,
  n,
  requestLogs,
  unavailableCauses,
} from './support/result.ts';
import { leaseOptions, rowOf, runScenario, sleepPastLease } from './support/scenario.ts';
import { SIZES } from './support/size.ts';

const events = SIZES.releaseFailures;
/** The function timeout the receiver counts its remaining time from. */
const functionTimeoutMs = 5_000;
const leaseMarginSeconds = 1;

describe('a failed publish whose release fails too', () => {
  it('answers 503 and holds the claim, refuses retries with 409 until the lease ends, then delivers each once', async ({
    task,
  }) => {
    const rows = await runScenario(
      task,
      'release-failure',
      leaseOptions(functionTimeoutMs, leaseMarginSeconds),
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
        checks.answered(answers, '503 unavailable', events, 'during the outage');
        checks.equal(
          'deliveries logged with a failed publish and a failed release',
          releaseFailed,
          events,
        );
        checks.equal('records left IN_PROGRESS', held.length, events);

        /** Apideck's retry of each of `previous`, every one of which must be answered `key`. */
        const retryRound = async (previous: PreparedBody[], key: string, when: string) => {
          const retries = previous.map((body) => retry(body));
          const sentAtMs = Date.now();
          const results = await postAll(pipeline.receiver.url, retries, events);
          countAnswers(results, answers);
          checks.answered(countAnswers(results), key, events, when);
          return { retries, results, sentAtMs };
        };
        const early = await retryRound(bodies, '409 in_progress', 'before the leases end');
        checks.expect(
          early.sentAtMs < firstLeaseEndsAtMs,
          'the early retries were sent after a lease had ended (timing)',
        );
        const earlyDeliveries = await pipeline.drain(undefined, 500);
        checks.equal('deliveries before the leases end', earlyDeliveries.length, 0);

        await sleepPastLease(leaseEndsAtMs);
        const late = await retryRound(early.retries, '200 published', 'after the leases end');
        const lateDeliveries = await pipeline.drain(events, 1_000);
        const again = await retryRound(late.retries, '200 duplicate', 'to one more retry');
        const againDeliveries = await pipeline.drain(undefined, 1_000);
        const deliveries = [...earlyDeliveries, ...lateDeliveries, ...againDeliveries];
        const count = countDeliveries(deliveries, ids);
        const afterwards = [...early.results, ...late.results, ...again.results];
        const lateFailures = answersStartingWith(countAnswers(afterwards), '5');
        checks.expect(
          lateFailures === 0,
          `5xx answers after the outage: expected 0, got ${lateFailures} (unavailable causes of the whole run: ${JSON.stringify(unavailableCauses(pipeline.receiver.lines))})`,
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
