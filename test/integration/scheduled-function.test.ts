/**
 * The scheduled function (`lambda/subscription-health/handler.ts`) as Lambda
 * runs it: imported cold with its environment, invoked with the schedule's
 * input, against the emulator and the Apideck stand-in; its log lines and EMF
 * documents are read from stdout.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { METRIC_NAMES } from '../../lambda/contract/metrics.ts';
import {
  APIDECK_ENVIRONMENT,
  RECONCILIATION_METRIC_NAMES as R,
} from '../../lambda/contract/reconciliation.ts';
import { fakeLambdaContext } from '../support/apideck-events.ts';
import { type Horizon, startHorizon } from './horizon-harness.ts';

let horizon: Horizon | undefined;

afterEach(async () => {
  await horizon?.close();
  horizon = undefined;
});

async function begin(): Promise<Horizon> {
  horizon = await startHorizon();
  return horizon;
}

type Handler = (event: unknown, context: ReturnType<typeof fakeLambdaContext>) => Promise<void>;

/** Cold-starts the handler with the horizon's environment (the key comes from the secret). */
async function coldStart(
  h: Horizon,
  extra: Record<string, string | undefined> = {},
): Promise<Handler> {
  const env = { ...h.env, ...extra };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  vi.resetModules();
  return (await import('../../lambda/subscription-health/handler.ts')).handler;
}

/**
 * The scheduled function's EMF documents and log lines written since `from`
 * (the receiver shares stdout here: its documents always count `Received`).
 */
function written(
  h: Horizon,
  from: number,
): { metrics: Record<string, unknown>[]; logs: Record<string, unknown>[] } {
  const parsed = h.receiver.lines.slice(from).flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
  return {
    metrics: parsed.filter((doc) => '_aws' in doc && !(METRIC_NAMES.received in doc)),
    logs: parsed.filter((doc) => !('_aws' in doc) && 'message' in doc && !('outcome' in doc)),
  };
}

describe('scheduled function', () => {
  it('publishes SubscriptionDisabled for a subscription Apideck disabled', async () => {
    const h = await begin();
    h.outage.down('503');
    await h.emit(1);
    await h.clock.runAll();
    const handler = await coldStart(h);
    const from = h.receiver.lines.length;
    await handler({ job: 'health' }, fakeLambdaContext());
    expect(written(h, from).metrics[0]).toMatchObject({
      [R.subscriptionDisabled]: 1,
      [R.subscriptionCount]: 1,
    });
  });

  it('re-enables it when told to, once the receiver answers the signed ping', async () => {
    const h = await begin();
    h.outage.down('503');
    await h.emit(1);
    await h.clock.runAll();
    h.outage.up();
    const handler = await coldStart(h, { [APIDECK_ENVIRONMENT.autoReenable]: 'true' });
    const from = h.receiver.lines.length;
    await handler({ job: 'health' }, fakeLambdaContext());
    expect([
      written(h, from).metrics[0]?.[R.subscriptionReenabled],
      h.standIn.listWebhooks()[0]?.status,
    ]).toEqual([1, 'enabled']);
  });

  it('reconciles and counts the recovered events as the receiver counts its outcomes', async () => {
    const h = await begin();
    h.outage.down('503');
    const ids = await h.emit(3);
    h.outage.up();
    const handler = await coldStart(h);
    const from = h.receiver.lines.length;
    await handler({ job: 'reconcile' }, fakeLambdaContext({ remainingTimeMs: 290_000 }));
    const deliveries = await h.receiver.drain(ids.length);
    expect([written(h, from).metrics[0], deliveries.length]).toEqual([
      expect.objectContaining({
        [METRIC_NAMES.published]: 3,
        [METRIC_NAMES.recovered]: 3,
        [R.reconcileRunFailed]: 0,
      }),
      3,
    ]);
  });

  it('counts a run it cannot configure as failed, without throwing', async () => {
    const h = await begin();
    const handler = await coldStart(h, { [APIDECK_ENVIRONMENT.appId]: undefined });
    const from = h.receiver.lines.length;
    await handler({ job: 'reconcile' }, fakeLambdaContext());
    const out = written(h, from);
    expect([out.metrics[0]?.[R.reconcileRunFailed], out.logs[0]?.error]).toEqual([
      1,
      expect.stringContaining('APIDECK_APP_ID'),
    ]);
  });

  it('logs an unknown job and does nothing', async () => {
    const h = await begin();
    const handler = await coldStart(h);
    const from = h.receiver.lines.length;
    await handler({ job: 'dance' }, fakeLambdaContext());
    expect(written(h, from).logs[0]?.message).toMatch(/unknown job "dance"/);
  });
});
