/**
 * Load: distinct new events at some concurrency, through the local pipeline;
 * every one must be delivered exactly once. Then every one of them is sent
 * again: each must be answered `duplicate` and nothing new delivered.
 */
import { describe, expect, it } from 'vitest';
import { countAnswers, eventIdOf, latencyNote, postAll } from './support/deliveries.ts';
import {
  answersStartingWith,
  Checks,
  countDeliveries,
  deliveryColumns,
  n,
} from './support/result.ts';
import { rowOf, runScenario } from './support/scenario.ts';
import { SIZES } from './support/size.ts';

const { loadEvents: events, loadConcurrency: concurrency } = SIZES;

describe('load', () => {
  it(`delivers ${events} distinct events at concurrency ${concurrency} once each, and none again when resent`, async ({
    task,
  }) => {
    const rows = await runScenario(task, 'load', {}, async ({ pipeline, fresh }) => {
      const bodies = fresh(events);
      const ids = bodies.map(eventIdOf);

      // The tap is drained while the events are sent: the emulator's queue slows down as it fills.
      const draining = pipeline.drain(events);
      const firstStarted = performance.now();
      const first = await postAll(pipeline.receiver.url, bodies, concurrency);
      const firstElapsed = performance.now() - firstStarted;
      const firstAnswers = countAnswers(first);
      const firstCount = countDeliveries(await draining, ids);
      const firstChecks = new Checks();
      firstChecks.answered(firstAnswers, '200 published', events);
      firstChecks.equal('5xx answers', answersStartingWith(firstAnswers, '5'), 0);
      firstChecks.equal('requests without an answer', firstAnswers['no answer'] ?? 0, 0);
      firstChecks.deliveredOnce(firstCount, events);

      const againStarted = performance.now();
      const again = await postAll(pipeline.receiver.url, bodies, concurrency);
      const againElapsed = performance.now() - againStarted;
      const againAnswers = countAnswers(again);
      const againCount = countDeliveries(await pipeline.drain(undefined, 2_000), []);
      const againChecks = new Checks();
      againChecks.answered(againAnswers, '200 duplicate', events);
      againChecks.equal('5xx answers', answersStartingWith(againAnswers, '5'), 0);
      againChecks.equal('new deliveries', againCount.total, 0);

      return [
        {
          scenario: `Load: ${n(events)} new events`,
          sent: `${n(events)} distinct events (12 types), concurrency ${concurrency}`,
          answers: firstAnswers,
          ...deliveryColumns(firstCount),
          expected: `${n(events)} delivered once each`,
          failures: firstChecks.failures,
          notes: [latencyNote(first, firstElapsed)],
        },
        {
          scenario: `Load: the same ${n(events)} again`,
          sent: `each of the ${n(events)} events once more, concurrency ${concurrency}`,
          answers: againAnswers,
          delivered: againCount.total,
          duplicated: againCount.total,
          lost: undefined,
          expected: '0 new deliveries; every answer 200 duplicate',
          failures: againChecks.failures,
          notes: [latencyNote(again, againElapsed)],
        },
      ];
    });

    expect(rowOf(rows, 0)).toMatchObject({
      answers: { '200 published': events },
      delivered: events,
      duplicated: 0,
      lost: 0,
    });
    expect(rowOf(rows, 1)).toMatchObject({ answers: { '200 duplicate': events }, delivered: 0 });
  });
});
