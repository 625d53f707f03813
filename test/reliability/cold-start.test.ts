/**
 * A burst of concurrent first deliveries to a new receiver process, before it
 * has read the signing secret; then Apideck's retries of whatever was not
 * answered 2xx. Nothing may be lost or doubled either way; the first round is
 * expected to be answered 200 too: a 503 here means concurrent requests do not
 * share the container's first read of the secret.
 *
 * (A deployed Lambda container serves one request at a time, so the deployed
 * receiver never sees this; the local pipeline, `npm run dev`, and any runtime
 * that serves several requests per container do.)
 */
import { describe, expect, it } from 'vitest';
import { type Batch, countAnswers, eventIdOf, type SignedBody } from './support/deliveries.ts';
import {
  Checks,
  countDeliveries,
  deliveryColumns,
  n,
  type ScenarioRow,
  unavailableCausesText,
} from './support/result.ts';
import { runScenario, type ScenarioContext } from './support/scenario.ts';
import { SIZES } from './support/size.ts';

/** Concurrent first deliveries. */
const concurrency = SIZES.coldConcurrency;

/** Rounds of Apideck retries after the burst. */
const RETRY_ROUNDS = 3;

/** The bodies of a batch whose answer was not 2xx: Apideck retries those. */
function refused(bodies: readonly SignedBody[], results: Batch['results']): SignedBody[] {
  return bodies.filter((_, index) => {
    const result = results[index];
    return !(result?.ok && result.status >= 200 && result.status < 300);
  });
}

async function coldStart(scenario: ScenarioContext): Promise<ScenarioRow[]> {
  const { pipeline, fresh, retry, post } = scenario;
  const bodies = fresh(concurrency);
  const first = await post(bodies, concurrency);
  const causeText = unavailableCausesText(pipeline.receiver.lines);
  const answers = { ...first.answers };
  let pending = refused(bodies, first.results);
  const retried = pending.length;
  for (let round = 0; round < RETRY_ROUNDS && pending.length > 0; round++) {
    const retries = pending.map((body) => retry(body));
    const { results } = await post(retries, concurrency);
    countAnswers(
      results.map((result) =>
        result.ok ? { ...result, outcome: `${result.outcome ?? '?'} (retry)` } : result,
      ),
      answers,
    );
    pending = refused(retries, results);
  }
  const count = countDeliveries(await pipeline.drain(concurrency, 1_000), bodies.map(eventIdOf));
  const checks = new Checks();
  checks.noServerErrors(
    first.answers,
    `5xx answers to the concurrent first deliveries${causeText ? ` (${causeText})` : ''}`,
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
}

describe('a new receiver process under concurrent first deliveries', () => {
  // Concurrent requests that find no cached keys share the container's first
  // read of the secret (SigningKeyRing, lambda/domain/signing-key-ring.ts);
  // without that, they would be answered 503 "signing secret unavailable;
  // waiting before reading it again" (Apideck's retries would still deliver
  // each once).
  it(`answers all of ${concurrency} concurrent first deliveries without a 503, and loses nothing`, async ({
    task,
  }) => {
    const rows = await runScenario(task, 'cold-start', { warm: false }, coldStart);

    expect(rows[0]).toMatchObject({ delivered: concurrency, duplicated: 0, lost: 0 });
  });
});
