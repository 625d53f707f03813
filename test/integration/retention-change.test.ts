/**
 * The replay window across redeploys that change the retention: each cold
 * start is the real handler on the same table, as after `cdk deploy` with a new
 * `retentionDays`. Records written under a shorter retention expire sooner, so
 * a replay older than that retention must be refused even once the window is
 * wider.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import { DAY_MS } from '../../lambda/domain/time.ts';
import type { ReceiverResources } from '../../tools/emulator/index.ts';
import { freshEvent, type ReceiverUnderTest, startReceiver, statusOf } from './receiver-harness.ts';

/** A new event that occurred `days` ago. */
function eventAged(days: number) {
  return freshEvent({
    payload: {
      event_id: randomUUID(),
      occurred_at: new Date(Date.now() - days * DAY_MS).toISOString(),
    },
  });
}

/** Cold-starts the handler on `resources` with `days` of retention, and lets it claim once. */
async function deployWithRetention(
  days: number,
  resources?: ReceiverResources,
): Promise<ReceiverUnderTest> {
  const receiver = await startReceiver(
    { [ENVIRONMENT.retentionDays]: String(days) },
    resources === undefined ? {} : { resources },
  );
  expect(statusOf(await receiver.deliver(freshEvent()))).toBe('published');
  return receiver;
}

let resources: ReceiverResources;
let raised: ReceiverUnderTest;

beforeAll(async () => {
  resources = (await deployWithRetention(7)).resources;
  raised = await deployWithRetention(30, resources);
});

describe('a retention raised from 7 to 30 days', () => {
  it('refuses a replay 10 days old, whose record the 7-day retention has already dropped', async () => {
    const response = await raised.deliver(eventAged(10));
    expect({ status: response.statusCode, body: statusOf(response) }).toEqual({
      status: 422,
      body: 'outside_replay_window',
    });
  });

  it('still accepts an event 5 days old, inside the shorter retention', async () => {
    expect(statusOf(await raised.deliver(eventAged(5)))).toBe('published');
  });
});

describe('a retention lowered to 3 days, then raised to 30 again', () => {
  it('refuses a replay 2.5 days old, as records written under the 3 days may be gone', async () => {
    await deployWithRetention(3, resources);
    const again = await deployWithRetention(30, resources);
    const response = await again.deliver(eventAged(2.5));
    expect(statusOf(response)).toBe('outside_replay_window');
  });
});
