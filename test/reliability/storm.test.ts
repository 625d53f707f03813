/**
 * Duplicate storm: concurrent deliveries of one new event. Exactly one may
 * publish; the others are answered `duplicate` (the claim was completed) or
 * 409 `in_progress` (it was still being published).
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

const copies = SIZES.stormCopies;

describe('duplicate storm', () => {
  it(`delivers one of ${copies} concurrent copies of an event exactly once`, async ({ task }) => {
    const rows = await runScenario(task, 'storm', {}, async ({ pipeline, fresh }) => {
      const [event] = fresh(1);
      if (event === undefined) throw new Error('no event');
      const sendStarted = performance.now();
      const results = await postAll(
        pipeline.receiver.url,
        Array.from({ length: copies }, () => event),
        copies,
      );
      const elapsed = performance.now() - sendStarted;
      const answers = countAnswers(results);
      const count = countDeliveries(await pipeline.drain(1, 2_000), [eventIdOf(event)]);
      const checks = new Checks();
      checks.answered(answers, '200 published', 1);
      checks.equal(
        'answers other than published, duplicate or in_progress',
        copies -
          (answers['200 published'] ?? 0) -
          (answers['200 duplicate'] ?? 0) -
          (answers['409 in_progress'] ?? 0),
        0,
      );
      checks.equal('5xx answers', answersStartingWith(answers, '5'), 0);
      checks.equal('deliveries', count.total, 1);
      return [
        {
          scenario: 'Duplicate storm',
          sent: `${n(copies)} concurrent copies of one new event`,
          answers,
          ...deliveryColumns(count),
          expected: 'exactly 1 delivery; the rest 200 duplicate or 409 in_progress',
          failures: checks.failures,
          notes: [latencyNote(results, elapsed)],
        },
      ];
    });

    expect(rowOf(rows).answers['200 published']).toBe(1);
    expect(rowOf(rows)).toMatchObject({ delivered: 1, duplicated: 0, lost: 0 });
  });
});
