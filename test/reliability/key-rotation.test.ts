/**
 * Key rotation: the secret goes from [old] to [new, old] to [new], with
 * `KEY_REFRESH_INTERVAL_SECONDS` short. While both keys are configured both are
 * accepted (the new one as soon as the key ring re-reads the secret, at most an
 * interval after it changed); once the old key is removed from the secret it is
 * rejected (401) within the refresh interval, and the new key keeps working.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import {
  answerKey,
  countAnswers,
  freshEvents,
  newApiKey,
  postAll,
  postOnce,
  type SendResult,
} from './support/deliveries.ts';
import type { Pipeline } from './support/pipeline.ts';
import {
  answersStartingWith,
  Checks,
  countDeliveries,
  type DeliveryCount,
  deliveryColumns,
  n,
} from './support/result.ts';
import { rowOf, runScenario } from './support/scenario.ts';
import { SIZES } from './support/size.ts';

/** Events signed with each key in each phase. */
const perKey = SIZES.eventsPerKey;
/** `KEY_REFRESH_INTERVAL_SECONDS`. */
const intervalSeconds = 2;
const intervalMs = intervalSeconds * 1000;

/** Allowed beyond the interval: the polling step and a request's round trip. */
const SLACK_MS = 1_500;
const POLL_EVERY_MS = 100;

/** Posts a fresh event signed with `key` every `POLL_EVERY_MS` until `until` holds; returns every send. */
async function pollUntil(
  pipeline: Pipeline,
  key: string,
  until: (answer: SendResult) => boolean,
  timeoutMs: number,
): Promise<{ sent: SendResult[]; elapsedMs: number | undefined }> {
  const startedAt = Date.now();
  const sent: SendResult[] = [];
  while (Date.now() - startedAt < timeoutMs) {
    const [body] = freshEvents(1, key);
    if (body === undefined) throw new Error('no event');
    const answer = await postOnce(pipeline.receiver.url, body);
    sent.push(answer);
    if (until(answer)) return { sent, elapsedMs: Date.now() - startedAt };
    await sleep(POLL_EVERY_MS);
  }
  return { sent, elapsedMs: undefined };
}

function sendBatch(pipeline: Pipeline, key: string, count: number): Promise<SendResult[]> {
  return postAll(pipeline.receiver.url, freshEvents(count, key), 8);
}

/** The event ids answered `200 published`. */
function published(sent: readonly SendResult[]): string[] {
  return sent.flatMap((answer) =>
    answerKey(answer) === '200 published' && answer.eventId !== undefined ? [answer.eventId] : [],
  );
}

/** What each phase must show: no 5xx, every accepted event delivered once, nothing refused delivered. */
function checkPhaseDeliveries(
  checks: Checks,
  sent: readonly SendResult[],
  count: DeliveryCount,
): void {
  checks.equal('5xx answers', answersStartingWith(countAnswers(sent), '5'), 0);
  checks.equal('accepted events delivered', count.delivered, published(sent).length);
  checks.equal('duplicate deliveries', count.duplicated, 0);
  checks.equal('deliveries of rejected events', count.unexpected, 0);
}

describe('key rotation', () => {
  it('accepts both keys during a rotation and refuses the removed one within the refresh interval', async ({
    task,
  }) => {
    const newKey = newApiKey();
    const options = {
      environment: { [ENVIRONMENT.keyRefreshIntervalSeconds]: String(intervalSeconds) },
    };
    const rows = await runScenario(
      task,
      'key-rotation',
      options,
      async ({ pipeline, key: oldKey }) => {
        // Phase 1: [old] -> [new, old].
        const warmUp = await sendBatch(pipeline, oldKey, perKey);
        await pipeline.setKeys([newKey, oldKey]);
        const adoption = await pollUntil(
          pipeline,
          newKey,
          (answer) => answer.ok && answer.status === 200,
          intervalMs + 5_000,
        );
        const bothOld = await sendBatch(pipeline, oldKey, perKey);
        const bothNew = await sendBatch(pipeline, newKey, perKey);
        const phase1 = [...warmUp, ...adoption.sent, ...bothOld, ...bothNew];
        const phase1Deliveries = await pipeline.drain(published(phase1).length, 1_000);
        const phase1Count = countDeliveries(phase1Deliveries, published(phase1));
        const phase1Checks = new Checks();
        phase1Checks.equal(
          'old key alone: 200 published',
          countAnswers(warmUp)['200 published'] ?? 0,
          perKey,
        );
        phase1Checks.expect(
          adoption.elapsedMs !== undefined && adoption.elapsedMs <= intervalMs + SLACK_MS,
          `the new key was not accepted within ${intervalSeconds} s + ${SLACK_MS} ms of being added (took ${String(adoption.elapsedMs)} ms)`,
        );
        phase1Checks.equal(
          '[new, old]: old key 200 published',
          countAnswers(bothOld)['200 published'] ?? 0,
          perKey,
        );
        phase1Checks.equal(
          '[new, old]: new key 200 published',
          countAnswers(bothNew)['200 published'] ?? 0,
          perKey,
        );
        checkPhaseDeliveries(phase1Checks, phase1, phase1Count);

        // Phase 2: [new, old] -> [new].
        await pipeline.setKeys([newKey]);
        const removal = await pollUntil(
          pipeline,
          oldKey,
          (answer) => answer.ok && answer.status === 401,
          intervalMs + 5_000,
        );
        const afterOld = await sendBatch(pipeline, oldKey, perKey);
        const afterNew = await sendBatch(pipeline, newKey, perKey);
        const phase2 = [...removal.sent, ...afterOld, ...afterNew];
        const phase2Deliveries = await pipeline.drain(published(phase2).length, 1_000);
        const phase2Count = countDeliveries(phase2Deliveries, published(phase2));
        const phase2Checks = new Checks();
        phase2Checks.expect(
          removal.elapsedMs !== undefined && removal.elapsedMs <= intervalMs + SLACK_MS,
          `the removed key was not rejected within ${intervalSeconds} s + ${SLACK_MS} ms (took ${String(removal.elapsedMs)} ms)`,
        );
        phase2Checks.equal(
          '[new]: old key 401 unauthorized',
          countAnswers(afterOld)['401 unauthorized'] ?? 0,
          perKey,
        );
        phase2Checks.equal(
          '[new]: new key 200 published',
          countAnswers(afterNew)['200 published'] ?? 0,
          perKey,
        );
        checkPhaseDeliveries(phase2Checks, phase2, phase2Count);

        const ms = (value: number | undefined): string =>
          value === undefined ? 'never' : `${(value / 1000).toFixed(2)} s`;
        return [
          {
            scenario: 'Key rotation: old and new key configured',
            sent: `${n(perKey)} with the old key alone, then secret [new, old]: new-key events until one is accepted, ${n(perKey)} per key`,
            answers: countAnswers(phase1),
            ...deliveryColumns(phase1Count),
            expected: `both keys accepted; the new one within ${intervalSeconds} s; each accepted event delivered once`,
            failures: phase1Checks.failures,
            notes: [
              `${ENVIRONMENT.keyRefreshIntervalSeconds}=${intervalSeconds}: the new key was accepted ${ms(adoption.elapsedMs)} after it was added (${adoption.sent.length} attempts)`,
            ],
          },
          {
            scenario: 'Key rotation: old key removed',
            sent: `secret [new]: old-key events until one is refused, then ${n(perKey)} per key`,
            answers: countAnswers(phase2),
            ...deliveryColumns(phase2Count),
            expected: `old key 401 within ${intervalSeconds} s, new key accepted; nothing refused is delivered`,
            failures: phase2Checks.failures,
            notes: [
              `the old key was first refused ${ms(removal.elapsedMs)} after its removal (${removal.sent.length} attempts; interval ${intervalSeconds} s)`,
            ],
          },
        ];
      },
    );

    expect(rowOf(rows, 1).answers['401 unauthorized']).toBeGreaterThanOrEqual(perKey + 1);
  });
});
