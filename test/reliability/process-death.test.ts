/**
 * The handler's process dies after claiming an event and before publishing it:
 * the fault proxy SIGKILLs the receiver process when it sees its SNS Publish
 * (which is never forwarded). The claim stays IN_PROGRESS with its lease (the
 * invocation's remaining time plus `LEASE_MARGIN_SECONDS`). Apideck's retry
 * reaches a new container: before the lease ends it is answered 409
 * `in_progress` and publishes nothing; after it, the retry takes the abandoned
 * claim over and publishes exactly once; a further retry is a `duplicate`.
 */
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import type { TapDelivery } from '../../tools/emulator/index.ts';
import { countAnswers, eventIdOf, postOnce } from './support/deliveries.ts';
import { leaseOptions, retryAcrossLeases } from './support/lease.ts';
import { Checks, countDeliveries, deliveryColumns, n, type ScenarioRow } from './support/result.ts';
import { runScenario, type ScenarioContext } from './support/scenario.ts';
import { SIZES } from './support/size.ts';

/** Events whose first delivery is killed (one process death each). */
const events = SIZES.deaths;
/** The function timeout the receiver counts its remaining time from. */
const functionTimeoutMs = 3_000;
const leaseMarginSeconds = 1;

async function processDeath(scenario: ScenarioContext): Promise<ScenarioRow[]> {
  const { pipeline, fresh } = scenario;
  const checks = new Checks();
  const answers: Record<string, number> = {};
  const leases: number[] = [];
  const retryDelays: number[] = [];
  const deliveries: TapDelivery[] = [];
  const bodies = fresh(events);
  for (const [index, body] of bodies.entries()) {
    const label = ` (event ${index + 1})`;
    const victim = pipeline.receiver;
    // The next container is started before the death, as Lambda has one ready to scale out; it
    // is the pipeline's receiver from now on, the one the retries reach.
    await pipeline.startReceiver();
    let killedAtMs = 0;
    const removeRule = pipeline.proxy.intercept((request) => {
      if (request.service !== 'sns' || request.operation !== 'Publish') return undefined;
      removeRule();
      killedAtMs = Date.now();
      victim.kill();
      return { kind: 'reset' };
    });
    const first = await postOnce(victim.url, body);
    countAnswers([first], answers);
    checks.equal(`first delivery answered${label}`, first.ok ? first.status : undefined, undefined);
    checks.equal(`the receiver process's exit${label}`, await victim.exited, 'SIGKILL');
    removeRule();

    const record = (await pipeline.records()).find((stored) => stored.eventId === eventIdOf(body));
    checks.equal(`record status after the death${label}`, record?.status, 'IN_PROGRESS');
    const leaseEndsAtMs = record?.leaseExpiresAtMs ?? Date.now();
    if (record !== undefined) leases.push(record.leaseExpiresAtMs - record.claimedAtMs);

    const retries = await retryAcrossLeases(scenario, [body], [leaseEndsAtMs], checks, label);
    countAnswers(retries.results, answers);
    deliveries.push(...retries.deliveries);
    retryDelays.push(retries.lateSentAtMs - killedAtMs);
  }
  const counted = countDeliveries(deliveries, bodies.map(eventIdOf));
  checks.deliveredOnce(counted, bodies.length);
  const seconds = (values: number[]): string =>
    values.map((value) => `${(value / 1000).toFixed(2)} s`).join(', ');
  return [
    {
      scenario: 'Process dies after the claim, before the publish',
      sent: `${n(bodies.length)} event${bodies.length === 1 ? '' : 's'}; each: the delivery (process SIGKILLed at its SNS Publish), a retry before the lease ends, one after, one more`,
      answers,
      ...deliveryColumns(counted),
      expected:
        'no answer (deployed: API Gateway 502), then 409 in_progress, then 200 published (delivered once), then 200 duplicate',
      failures: checks.failures,
      notes: [
        `function timeout ${functionTimeoutMs / 1000} s, ${ENVIRONMENT.leaseMarginSeconds}=${leaseMarginSeconds}: measured lease (claim to lease end) ${seconds(leases)}`,
        `late retry sent ${seconds(retryDelays)} after the process died`,
      ],
    },
  ];
}

describe('a process death between claim and publish', () => {
  it('refuses the retry until the lease ends, then delivers once', async ({ task }) => {
    const options = leaseOptions(functionTimeoutMs, leaseMarginSeconds);
    const rows = await runScenario(task, 'process-death', options, processDeath);

    expect(rows[0]?.answers).toEqual({
      'no answer': events,
      '409 in_progress': events,
      '200 published': events,
      '200 duplicate': events,
    });
    expect(rows[0]).toMatchObject({ delivered: events, duplicated: 0, lost: 0 });
  });
});
