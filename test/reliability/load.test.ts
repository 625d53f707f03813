/**
 * Load: distinct new events at some concurrency, through the local pipeline;
 * every one must be delivered exactly once. Then every one of them is sent
 * again: each must be answered `duplicate` and nothing new delivered.
 */
import { describe, expect, it } from 'vitest';
import { eventIdOf, latencyNote } from './support/deliveries.ts';
import { Checks, countDeliveries, deliveryColumns, n, type ScenarioRow } from './support/result.ts';
import { runScenario, type ScenarioContext } from './support/scenario.ts';
import { SIZES } from './support/size.ts';

const { loadEvents: events, loadConcurrency: concurrency } = SIZES;

async function load({ pipeline, fresh, post }: ScenarioContext): Promise<ScenarioRow[]> {
  const bodies = fresh(events);
  // The tap is drained while the events are sent: the emulator's queue slows down as it fills.
  const draining = pipeline.drain(events);
  const first = await post(bodies, concurrency);
  const firstCount = countDeliveries(await draining, bodies.map(eventIdOf));
  const firstChecks = new Checks();
  firstChecks.answered(first.answers, '200 published', events);
  firstChecks.noServerErrors(first.answers);
  firstChecks.equal('requests without an answer', first.answers['no answer'] ?? 0, 0);
  firstChecks.deliveredOnce(firstCount, events);

  const again = await post(bodies, concurrency);
  const againCount = countDeliveries(await pipeline.drain(undefined, 2_000), []);
  const againChecks = new Checks();
  againChecks.answered(again.answers, '200 duplicate', events);
  againChecks.noServerErrors(again.answers);
  againChecks.equal('new deliveries', againCount.total, 0);

  return [
    {
      scenario: `Load: ${n(events)} new events`,
      sent: `${n(events)} distinct events (12 types), concurrency ${concurrency}`,
      answers: first.answers,
      ...deliveryColumns(firstCount),
      expected: `${n(events)} delivered once each`,
      failures: firstChecks.failures,
      notes: [latencyNote(first)],
    },
    {
      scenario: `Load: the same ${n(events)} again`,
      sent: `each of the ${n(events)} events once more, concurrency ${concurrency}`,
      answers: again.answers,
      delivered: againCount.total,
      duplicated: againCount.total,
      lost: undefined,
      expected: '0 new deliveries; every answer 200 duplicate',
      failures: againChecks.failures,
      notes: [latencyNote(again)],
    },
  ];
}

describe('load', () => {
  it(`delivers ${events} distinct events at concurrency ${concurrency} once each, and none again when resent`, async ({
    task,
  }) => {
    const rows = await runScenario(task, 'load', {}, load);

    expect(rows[0]).toMatchObject({
      answers: { '200 published': events },
      delivered: events,
      duplicated: 0,
      lost: 0,
    });
    expect(rows[1]).toMatchObject({ answers: { '200 duplicate': events }, delivered: 0 });
  });
});
