/**
 * SNS fails, and so does the release of the claim (the conditional DeleteItem):
 * each delivery is answered 503 and its record stays IN_PROGRESS until its
 * lease ends. Apideck's retries are refused with 409 `in_progress` while the
 * lease runs; after it, they take the abandoned claims over and publish each
 * event exactly once (docs/failure-modes.md: a failed publish whose release fails too).
 */
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import { countAnswers, eventIdOf } from './support/deliveries.ts';
import { leaseOptions, retryAcrossLeases } from './support/lease.ts';
import {
  Checks,
  countDeliveries,
  deliveryColumns,
  n,
  requestLogs,
  type ScenarioRow,
  unavailableCausesText,
} from './support/result.ts';
import { runScenario, type ScenarioContext } from './support/scenario.ts';
import { SIZES } from './support/size.ts';

const events = SIZES.releaseFailures;
/** The function timeout the receiver counts its remaining time from. */
const functionTimeoutMs = 5_000;
const leaseMarginSeconds = 1;

async function releaseFailure(scenario: ScenarioContext): Promise<ScenarioRow[]> {
  const { pipeline, fresh, post } = scenario;
  const { proxy } = pipeline;
  const bodies = fresh(events);
  const checks = new Checks();
  proxy.fail('sns');
  const removeRule = proxy.intercept((request) =>
    request.service === 'dynamodb' && request.operation === 'DeleteItem'
      ? { kind: 'unavailable' }
      : undefined,
  );
  const during = await post(bodies, events);
  proxy.heal();
  removeRule();
  const releaseFailed = requestLogs(pipeline.receiver.lines).filter(
    (log) => log.publish_failed === true && log.release_failed === true,
  ).length;
  const held = (await pipeline.records()).filter((record) => record.status === 'IN_PROGRESS');
  checks.answered(during.answers, '503 unavailable', events, 'during the outage');
  checks.equal(
    'deliveries logged with a failed publish and a failed release',
    releaseFailed,
    events,
  );
  checks.equal('records left IN_PROGRESS', held.length, events);

  const leaseEnds = held.map((record) => record.leaseExpiresAtMs);
  const retries = await retryAcrossLeases(scenario, bodies, leaseEnds, checks);
  const count = countDeliveries(retries.deliveries, bodies.map(eventIdOf));
  checks.noServerErrors(
    countAnswers(retries.results),
    `5xx answers after the outage (unavailable causes of the whole run: ${unavailableCausesText(pipeline.receiver.lines) || 'none'})`,
  );
  checks.deliveredOnce(count, events);
  const leaseSeconds = held.map((record) =>
    ((record.leaseExpiresAtMs - record.claimedAtMs) / 1000).toFixed(2),
  );
  return [
    {
      scenario: 'SNS unavailable and the release fails too',
      sent: `${n(events)} new events while SNS and DynamoDB DeleteItem fail; then Apideck's retries before the leases end, after, and once more`,
      answers: countAnswers(retries.results, { ...during.answers }),
      ...deliveryColumns(count),
      expected:
        '503, record left IN_PROGRESS; 409 until the lease ends; then delivered once each; then 200 duplicate',
      failures: checks.failures,
      notes: [
        `function timeout ${functionTimeoutMs / 1000} s, ${ENVIRONMENT.leaseMarginSeconds}=${leaseMarginSeconds}: leases of ${[...new Set(leaseSeconds)].join(', ')} s`,
      ],
    },
  ];
}

describe('a failed publish whose release fails too', () => {
  it('answers 503 and holds the claim, refuses retries with 409 until the lease ends, then delivers each once', async ({
    task,
  }) => {
    const options = leaseOptions(functionTimeoutMs, leaseMarginSeconds);
    const rows = await runScenario(task, 'release-failure', options, releaseFailure);

    expect(rows[0]).toMatchObject({ delivered: events, duplicated: 0, lost: 0 });
  });
});
