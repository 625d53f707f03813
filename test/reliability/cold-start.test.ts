/**
 * A burst of concurrent first deliveries to a new receiver process, before it
 * has read the signing secret; then Apideck's retries of whatever was not
 * answered 2xx. Nothing may be lost or doubled either way; the first round is
 * expected to be answered 200 too: a 503 here means concurrent requests do not
 * share the container's first read of the secret (as before c097343, where
 * 6 of 16 such requests were answered 503).
 *
 * (A deployed Lambda container serves one request at a time, so the deployed
 * receiver never sees this; the local pipeline, `npm run dev`, and any runtime
 * that serves several requests per container do.)
 */
import { describe, expect, it } from 'vitest';
import { countAnswers, eventIdOf, type PreparedBody, postAll } from './support/deliveries.ts';
import {
  answersStartingWith,
  Checks,
  countDeliveries,
  deliveryColumns,
  n,
  unavailableCauses,
} from './support/result.ts';
import { rowOf, runScenario } from './support/scenario.ts';
import { SIZES } from './support/size.ts';

/** Concurrent first deliveries. */
const concurrency = SIZES.coldConcurrency;

/** Rounds of Apideck retries after the burst. */
const RETRY_ROUNDS = 3;

describe('a new receiver process under concurrent first deliveries', () => {
  // Concurrent requests that find no cached keys share the container's first
  // read of the secret (SigningKeyRing, lambda/domain/signing-key-ring.ts);
  // before c097343 they were answered 503 "signing secret unavailable; waiting
  // before reading it again" (Apideck's retries still delivered each once).
  it(`answers all of ${concurrency} concurrent first deliveries without a 503, and loses nothing`, async ({
    task,
  }) => {
    const options = { warm: false };
    const rows = await runScenario(
      task,
      'cold-start',
      options,
      async ({ pipeline, fresh, retry }) => {
        const bodies = fresh(concurrency);
        const first = await postAll(pipeline.receiver.url, bodies, concurrency);
        const firstAnswers = countAnswers(first);
        const causes = unavailableCauses(pipeline.receiver.lines);
        const answers = { ...firstAnswers };
        let pending: PreparedBody[] = bodies.filter((_, index) => {
          const result = first[index];
          return !(result?.ok && result.status >= 200 && result.status < 300);
        });
        const retried = pending.length;
        for (let round = 0; round < RETRY_ROUNDS && pending.length > 0; round++) {
          const retries = pending.map((body) => retry(body));
          const results = await postAll(pipeline.receiver.url, retries, concurrency);
          countAnswers(
            results.map((result) =>
              result.ok ? { ...result, outcome: `${result.outcome ?? '?'} (retry)` } : result,
            ),
            answers,
          );
          pending = retries.filter((_, index) => {
            const result = results[index];
            return !(result?.ok && result.status >= 200 && result.status < 300);
          });
        }
        const deliveries = await pipeline.drain(concurrency, 1_000);
        const count = countDeliveries(deliveries, bodies.map(eventIdOf));
        const checks = new Checks();
        const causeText = Object.entries(causes)
          .map(([cause, times]) => `${times}x ${cause}`)
          .join('; ');
        checks.equal(
          `5xx answers to the concurrent first deliveries${causeText ? ` (${causeText})` : ''}`,
          answersStartingWith(firstAnswers, '5'),
          0,
        );
        checks.equal('deliveries still refused after the retries', pending.length, 0);
        checks.deliveredOnce(count, concurrency);
        return [
          {
            scenario: 'Cold start: concurrent first deliveries',
            sent: `${n(concurrency)} distinct new events at once to a new process${retried === 0 ? '' : `, then Apideck's retries of the ${n(retried)} not answered 2xx`}`,
            answers,
            ...deliveryColumns(count),
            expected: `${n(concurrency)}x 200 published at once; each delivered once`,
            failures: checks.failures,
            notes: causeText ? [`503 causes in the handler's log: ${causeText}`] : [],
          },
        ];
      },
    );

    expect(rowOf(rows)).toMatchObject({ delivered: concurrency, duplicated: 0, lost: 0 });
  });
});
