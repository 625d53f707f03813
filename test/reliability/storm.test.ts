/**
 * Duplicate storm: concurrent deliveries of one new event. Exactly one may
 * publish; the others are answered `duplicate` (the claim was completed) or
 * 409 `in_progress` (it was still being published).
 */
import { describe, expect, it } from 'vitest';
import type { ApiKindName } from '../../tools/emulator/api-gateway/kinds.ts';
import { eventIdOf, latencyNote } from './support/deliveries.ts';
import { Checks, countDeliveries, deliveryColumns, n, type ScenarioRow } from './support/result.ts';
import { runScenario, type ScenarioContext } from './support/scenario.ts';
import { SIZES } from './support/size.ts';

const copies = SIZES.stormCopies;

const API_NAMES: Readonly<Record<ApiKindName, string>> = {
  rest: 'REST API',
  http: 'HTTP API',
};

async function storm(
  { pipeline, fresh, post }: ScenarioContext,
  apiKind: ApiKindName,
): Promise<ScenarioRow[]> {
  const [event] = fresh(1);
  if (event === undefined) throw new Error('no event');
  const sent = await post(
    Array.from({ length: copies }, () => event),
    copies,
  );
  const { answers } = sent;
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
  checks.noServerErrors(answers);
  checks.equal('deliveries', count.total, 1);
  return [
    {
      scenario: apiKind === 'rest' ? 'Duplicate storm' : `Duplicate storm (${API_NAMES[apiKind]})`,
      sent: `${n(copies)} concurrent copies of one new event`,
      answers,
      ...deliveryColumns(count),
      expected: 'exactly 1 delivery; the rest 200 duplicate or 409 in_progress',
      failures: checks.failures,
      notes: [latencyNote(sent)],
    },
  ];
}

// Behind either kind of API: the answers differ in nothing the storm relies on.
describe.each(['rest', 'http'] as const)('duplicate storm behind the %s API', (apiKind) => {
  it(`delivers one of ${copies} concurrent copies of an event exactly once`, async ({ task }) => {
    const name = apiKind === 'rest' ? 'storm' : `storm-${apiKind}`;
    const rows = await runScenario(task, name, { apiKind }, (scenario) => storm(scenario, apiKind));

    expect(rows[0]?.answers['200 published']).toBe(1);
    expect(rows[0]).toMatchObject({ delivered: 1, duplicated: 0, lost: 0 });
  });
});
