/**
 * A dependency fails while Apideck delivers, then recovers and Apideck retries.
 *
 * - SNS unavailable (503 from the proxy on every SNS request): each delivery is
 *   answered 503, its claim is released (no record is left), nothing reaches a
 *   topic; after recovery each retry (`execution_attempt` + 1) publishes once.
 * - DynamoDB unavailable (every connection to it reset): each delivery is
 *   answered 503 and nothing is published at all; after recovery each retry
 *   publishes once.
 *
 * A second round of retries after that must be answered `duplicate`.
 */
import { describe, expect, it } from 'vitest';
import type { FaultMode } from '../../tools/emulator/fault-proxy.ts';
import { countAnswers, eventIdOf } from './support/deliveries.ts';
import {
  answersStartingWith,
  Checks,
  countDeliveries,
  deliveryColumns,
  n,
  type ScenarioRow,
  unavailableCauses,
} from './support/result.ts';
import { runScenario, type ScenarioContext } from './support/scenario.ts';
import { SIZES } from './support/size.ts';

const events = SIZES.outageEvents;
const concurrency = 8;

interface OutageSpec {
  readonly name: string;
  /** The test's title: the behaviour it shows. */
  readonly behaviour: string;
  /** The rows' title. */
  readonly title: string;
  /** SigV4 service name, and the name the handler's log gives the dependency. */
  readonly service: 'sns' | 'dynamodb';
  readonly dependency: 'SNS' | 'DynamoDB';
  /** The operation each delivery fails at. */
  readonly operation: 'Publish' | 'PutItem';
  readonly mode: FaultMode;
  readonly describeFault: string;
  readonly expected: string;
  /** What the proxy failed, for the note: `<count> SNS requests answered 503`. */
  readonly failedWhat: string;
}

const SNS: OutageSpec = {
  name: 'sns-outage',
  behaviour: 'answers 503 while SNS is down, keeps no claim, and delivers each retry once after',
  title: 'SNS unavailable',
  service: 'sns',
  dependency: 'SNS',
  operation: 'Publish',
  mode: 'unavailable',
  describeFault: 'every SNS request answered 503',
  expected: '503 each; nothing delivered; every claim released',
  failedWhat: 'SNS requests answered 503',
};

const DYNAMODB: OutageSpec = {
  name: 'dynamodb-outage',
  behaviour:
    'answers 503 while DynamoDB is down, publishes nothing, and delivers each retry once after',
  title: 'DynamoDB unavailable',
  service: 'dynamodb',
  dependency: 'DynamoDB',
  operation: 'PutItem',
  mode: 'reset',
  describeFault: 'every DynamoDB connection reset',
  expected: '503 each; nothing published, nothing written',
  failedWhat: 'DynamoDB connections reset',
};

/** The outage's phases on `pipeline`, whose signing key is `key`. */
async function outage(
  { pipeline, fresh, retry, post }: ScenarioContext,
  spec: OutageSpec,
): Promise<ScenarioRow[]> {
  const { proxy } = pipeline;
  const bodies = fresh(events);
  const ids = bodies.map(eventIdOf);

  proxy.fail(spec.service, spec.mode);
  const publishesBefore = proxy.count({ service: 'sns', operation: 'Publish' });
  const { answers: duringAnswers } = await post(bodies, concurrency);
  const duringDeliveries = await pipeline.drain(undefined, 1_000);
  const records = await pipeline.records();
  const leftInProgress = records.filter((record) => record.status === 'IN_PROGRESS').length;
  const publishRequests = proxy.count({ service: 'sns', operation: 'Publish' }) - publishesBefore;
  const failedRequests = proxy.count({ service: spec.service, action: spec.mode });
  const causes = unavailableCauses(pipeline.receiver.lines);
  const duringChecks = new Checks();
  duringChecks.answered(duringAnswers, '503 unavailable', events);
  duringChecks.equal(
    `503s caused by ${spec.dependency}`,
    answersStartingWith(causes, `${spec.dependency}:`),
    events,
  );
  duringChecks.expect(
    proxy.count({ service: spec.service, operation: spec.operation, action: spec.mode }) >= events,
    `fewer failed ${spec.operation} requests than deliveries`,
  );
  duringChecks.equal('deliveries during the outage', duringDeliveries.length, 0);
  duringChecks.equal('records left IN_PROGRESS', leftInProgress, 0);
  if (spec.service === 'dynamodb') {
    duringChecks.equal('SNS Publish requests during the outage', publishRequests, 0);
    duringChecks.equal('records written', records.length, 0);
  } else {
    duringChecks.equal('records kept (released claims are deleted)', records.length, 0);
  }
  proxy.heal();

  const retries = bodies.map((body) => retry(body));
  const after = await post(retries, concurrency);
  const afterDeliveries = await pipeline.drain(events, 1_000);
  const again = await post(
    retries.map((body) => retry(body)),
    concurrency,
  );
  const againDeliveries = await pipeline.drain(undefined, 1_000);
  const afterAnswers = countAnswers(again.results, { ...after.answers });
  const count = countDeliveries([...afterDeliveries, ...againDeliveries], ids);
  const afterChecks = new Checks();
  afterChecks.answered(after.answers, '200 published', events, 'to the first retry');
  afterChecks.answered(again.answers, '200 duplicate', events, 'to the second retry');
  afterChecks.noServerErrors(afterAnswers);
  afterChecks.deliveredOnce(count, events);

  const attemptsNote =
    `${failedRequests} ${spec.failedWhat} by the proxy for ${events} deliveries (the SDK tries up to 3 times, fewer once its retry quota runs low); ` +
    (spec.service === 'sns'
      ? `${records.length} records left in the table`
      : `${publishRequests} SNS Publish requests`);
  return [
    {
      scenario: `${spec.title}: during the outage`,
      sent: `${n(events)} new events, ${spec.describeFault}`,
      answers: duringAnswers,
      delivered: duringDeliveries.length,
      duplicated: 0,
      lost: undefined,
      expected: spec.expected,
      failures: duringChecks.failures,
      notes: [attemptsNote],
    },
    {
      scenario: `${spec.title}: after recovery`,
      sent: `Apideck's retries (execution_attempt + 1), then a second round (+ 2)`,
      answers: afterAnswers,
      ...deliveryColumns(count),
      expected: `${n(events)} delivered once each; the second round 200 duplicate`,
      failures: afterChecks.failures,
      notes: [],
    },
  ];
}

describe('a dependency outage', () => {
  it.for([SNS, DYNAMODB])('$behaviour', async (spec, { task }) => {
    const rows = await runScenario(task, spec.name, {}, (scenario) => outage(scenario, spec));

    expect(rows[0]).toMatchObject({
      answers: { '503 unavailable': events },
      delivered: 0,
    });
    expect(rows[1]).toMatchObject({ delivered: events, duplicated: 0, lost: 0 });
  });
});
