/**
 * The reliability scenarios of `npm run verify` (verify/scenarios/), at a size
 * that fits `npm test`: the real handler in a child process behind the dev
 * server's API Gateway stand-in, its AWS SDK pointed at a fault-injecting proxy
 * in front of the emulator, events posted over HTTP with the sender's modules,
 * and what reached the topics counted by event id from the SQS tap.
 *
 * Each scenario checks its own figures (see `Checks` in verify/scenarios/result.ts);
 * a failure lists every check that did not hold.
 */
import { describe, expect, inject, it } from 'vitest';
import { runColdStartBurst } from '../../verify/scenarios/cold-start.ts';
import { runKeyRotation } from '../../verify/scenarios/key-rotation.ts';
import { runLoad } from '../../verify/scenarios/load.ts';
import { runDynamoDbOutage, runSnsOutage } from '../../verify/scenarios/outages.ts';
import type { ScenarioEnvironment } from '../../verify/scenarios/pipeline.ts';
import { runProcessDeath } from '../../verify/scenarios/process-death.ts';
import { failuresOf, type ScenarioResult } from '../../verify/scenarios/result.ts';
import { runStorm } from '../../verify/scenarios/storm.ts';

const environment: ScenarioEnvironment = {
  emulator: { endpoint: inject('emulatorEndpoint'), region: inject('emulatorRegion') },
};

function row(result: ScenarioResult, index = 0) {
  const found = result.rows[index];
  if (found === undefined) throw new Error(`${result.name} has no row ${index}`);
  return found;
}

describe('reliability of the local pipeline', () => {
  it('delivers 100 distinct events at concurrency 8 once each, and none again when resent', async () => {
    const result = await runLoad(environment, { events: 100, concurrency: 8 });

    expect(failuresOf(result)).toEqual([]);
    expect(row(result, 0)).toMatchObject({
      answers: { '200 published': 100 },
      delivered: 100,
      duplicated: 0,
      lost: 0,
    });
    expect(row(result, 1)).toMatchObject({ answers: { '200 duplicate': 100 }, delivered: 0 });
  });

  it('delivers one of 30 concurrent copies of an event exactly once', async () => {
    const result = await runStorm(environment, { copies: 30 });

    expect(failuresOf(result)).toEqual([]);
    expect(row(result).answers['200 published']).toBe(1);
    expect(row(result)).toMatchObject({ delivered: 1, duplicated: 0, lost: 0 });
  });

  it('answers 503 while SNS is down, keeps no claim, and delivers each retry once after', async () => {
    const result = await runSnsOutage(environment, { events: 5 });

    expect(failuresOf(result)).toEqual([]);
    expect(row(result, 0)).toMatchObject({ answers: { '503 unavailable': 5 }, delivered: 0 });
    expect(row(result, 1)).toMatchObject({ delivered: 5, duplicated: 0, lost: 0 });
  });

  it('answers 503 while DynamoDB is down, publishes nothing, and delivers each retry once after', async () => {
    const result = await runDynamoDbOutage(environment, { events: 5 });

    expect(failuresOf(result)).toEqual([]);
    expect(row(result, 0)).toMatchObject({ answers: { '503 unavailable': 5 }, delivered: 0 });
    expect(row(result, 1)).toMatchObject({ delivered: 5, duplicated: 0, lost: 0 });
  });

  it('after the process dies between claim and publish, refuses the retry until the lease ends, then delivers once', async () => {
    const result = await runProcessDeath(environment, { events: 1 });

    expect(failuresOf(result)).toEqual([]);
    expect(row(result).answers).toEqual({
      'no answer': 1,
      '409 in_progress': 1,
      '200 published': 1,
      '200 duplicate': 1,
    });
    expect(row(result)).toMatchObject({ delivered: 1, duplicated: 0, lost: 0 });
  });

  it('accepts both keys during a rotation and refuses the removed one within the refresh interval', async () => {
    const result = await runKeyRotation(environment, {
      eventsPerKey: 3,
      refreshIntervalSeconds: 2,
    });

    expect(failuresOf(result)).toEqual([]);
    expect(row(result, 1).answers['401 unauthorized']).toBeGreaterThanOrEqual(4);
  });
});

describe('a new receiver process under concurrent first deliveries', () => {
  // Concurrent requests that find no cached keys share the container's first
  // read of the secret (SigningKeyRing, lambda/domain/signing-key-ring.ts);
  // before c097343 they were answered 503 "signing secret unavailable; waiting
  // before reading it again" (Apideck's retries still delivered each once).
  it('answers all of 8 concurrent first deliveries without a 503, and loses nothing', async () => {
    const result = await runColdStartBurst(environment, { concurrency: 8 });

    expect(row(result)).toMatchObject({ delivered: 8, duplicated: 0, lost: 0 });
    expect(failuresOf(result)).toEqual([]);
  });
});
