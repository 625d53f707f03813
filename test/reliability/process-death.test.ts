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
import { answerKey, eventIdOf, postOnce, type SendResult } from './support/deliveries.ts';
import { Checks, countDeliveries, deliveryColumns, n } from './support/result.ts';
import { leaseOptions, rowOf, runScenario, sleepPastLease } from './support/scenario.ts';
import { SIZES } from './support/size.ts';

/** Events whose first delivery is killed (one process death each). */
const events = SIZES.deaths;
/** The function timeout the receiver counts its remaining time from. */
const functionTimeoutMs = 3_000;
const leaseMarginSeconds = 1;

describe('a process death between claim and publish', () => {
  it('refuses the retry until the lease ends, then delivers once', async ({ task }) => {
    const rows = await runScenario(
      task,
      'process-death',
      leaseOptions(functionTimeoutMs, leaseMarginSeconds),
      async ({ pipeline, fresh, retry }) => {
        const checks = new Checks();
        const answers: Record<string, number> = {};
        const leases: number[] = [];
        const retryDelays: number[] = [];
        const deliveries: TapDelivery[] = [];
        const bodies = fresh(events);
        const count = (answer: SendResult): SendResult => {
          const entry = answerKey(answer);
          answers[entry] = (answers[entry] ?? 0) + 1;
          return answer;
        };
        for (const [index, body] of bodies.entries()) {
          const label = `event ${index + 1}`;
          const eventId = eventIdOf(body);
          const victim = pipeline.receiver;
          // The next container is started before the death, as Lambda has one ready to scale out.
          const successor = await pipeline.startReceiver();
          let killedAtMs = 0;
          const removeRule = pipeline.proxy.intercept((request) => {
            if (request.service !== 'sns' || request.operation !== 'Publish') return undefined;
            removeRule();
            killedAtMs = Date.now();
            victim.kill();
            return { kind: 'reset' };
          });
          const first = count(await postOnce(victim.url, body));
          const exit = await victim.exited;
          checks.equal(
            `${label}: first delivery answered`,
            first.ok ? first.status : undefined,
            undefined,
          );
          checks.equal(`${label}: the receiver process's exit`, exit, 'SIGKILL');
          removeRule();

          const record = (await pipeline.records()).find(
            (candidate) => candidate.eventId === eventId,
          );
          checks.equal(`${label}: record status after the death`, record?.status, 'IN_PROGRESS');
          const leaseEndsAtMs = record?.leaseExpiresAtMs ?? Date.now();
          if (record !== undefined) leases.push(record.leaseExpiresAtMs - record.claimedAtMs);

          const earlyRetry = retry(body);
          const earlySentAtMs = Date.now();
          const early = count(await postOnce(successor.url, earlyRetry));
          checks.expect(
            earlySentAtMs < leaseEndsAtMs,
            `${label}: the early retry was sent after the lease had ended (timing)`,
          );
          checks.equal(
            `${label}: retry before the lease ends`,
            answerKey(early),
            '409 in_progress',
          );
          checks.expect(
            early.ok && early.retryAfter !== undefined && Number(early.retryAfter) >= 1,
            `${label}: the 409 carries no Retry-After (got ${String(early.ok ? early.retryAfter : undefined)})`,
          );
          const earlyDeliveries = await pipeline.drain(undefined, 500);
          checks.equal(`${label}: deliveries before the lease ends`, earlyDeliveries.length, 0);
          deliveries.push(...earlyDeliveries);

          await sleepPastLease(leaseEndsAtMs);
          const lateRetry = retry(earlyRetry);
          retryDelays.push(Date.now() - killedAtMs);
          const late = count(await postOnce(successor.url, lateRetry));
          checks.equal(`${label}: retry after the lease ended`, answerKey(late), '200 published');
          const lastRetry = count(await postOnce(successor.url, retry(lateRetry)));
          checks.equal(`${label}: one more retry`, answerKey(lastRetry), '200 duplicate');
          deliveries.push(...(await pipeline.drain(1, 1_000)));
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
      },
    );

    expect(rowOf(rows).answers).toEqual({
      'no answer': events,
      '409 in_progress': events,
      '200 published': events,
      '200 duplicate': events,
    });
    expect(rowOf(rows)).toMatchObject({ delivered: events, duplicated: 0, lost: 0 });
  });
});
