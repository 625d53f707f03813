import { describe, expect, it } from 'vitest';
import { RECONCILIATION_METRIC_NAMES as R } from '../../../lambda/contract/reconciliation.ts';
import {
  checkSubscriptionHealth,
  type SubscriptionApi,
} from '../../../lambda/subscription-health/check.ts';
import { runHealthJob } from '../../../lambda/subscription-health/jobs.ts';

const URL = 'https://hooks.example.com/prod/webhooks';

function webhook(id: string, status: string, reason = 'none', deliveryUrl = URL) {
  return { id, status, disabled_reason: reason, delivery_url: deliveryUrl };
}

/** A fake Webhook API: `enableTo` is the status Apideck answers a PATCH with (its own validation). */
function fakeApi(
  webhooks: unknown[],
  enableTo = 'enabled',
): SubscriptionApi & { patched: string[] } {
  const patched: string[] = [];
  return {
    patched,
    listWebhooks: async () => webhooks,
    updateWebhook: async (id) => {
      patched.push(id);
      return {
        id,
        status: enableTo,
        disabled_reason: enableTo === 'enabled' ? 'none' : 'delivery_url_validation_failed',
      };
    },
  };
}

const ok = async () => 200;
const down = async () => 503;

describe('checkSubscriptionHealth', () => {
  it('counts only the subscriptions that deliver to this receiver', async () => {
    const api = fakeApi([
      webhook('a', 'enabled'),
      webhook('b', 'disabled', 'retry_limit', 'https://other.example/h'),
    ]);
    const report = await checkSubscriptionHealth(api, ok, { webhookUrl: URL, autoReenable: false });
    expect([report.subscriptions, report.disabled]).toEqual([1, []]);
  });

  it('reports a disabled subscription with its reason', async () => {
    const api = fakeApi([webhook('a', 'disabled', 'retry_limit')]);
    const report = await checkSubscriptionHealth(api, ok, { webhookUrl: URL, autoReenable: false });
    expect([report.disabled, api.patched]).toEqual([[{ id: 'a', reason: 'retry_limit' }], []]);
  });

  it('re-enables a retry_limit subscription once the signed ping answers 2xx', async () => {
    const api = fakeApi([webhook('a', 'disabled', 'retry_limit')]);
    const report = await checkSubscriptionHealth(api, ok, { webhookUrl: URL, autoReenable: true });
    expect([report.reenabled, report.disabled]).toEqual([['a'], []]);
  });

  it('leaves it disabled while the ping fails', async () => {
    const api = fakeApi([webhook('a', 'disabled', 'retry_limit')]);
    const report = await checkSubscriptionHealth(api, down, {
      webhookUrl: URL,
      autoReenable: true,
    });
    expect([api.patched, report.notReenabled[0]?.why]).toEqual([
      [],
      'the signed ping answered 503',
    ]);
  });

  it('never re-enables a subscription disabled for another reason', async () => {
    const api = fakeApi([
      webhook('a', 'disabled', 'delivery_url_validation_failed'),
      webhook('b', 'disabled', 'usage_limit'),
    ]);
    const report = await checkSubscriptionHealth(api, ok, { webhookUrl: URL, autoReenable: true });
    expect([api.patched, report.disabled.length]).toEqual([[], 2]);
  });

  it('reports Apideck leaving it disabled when its own validation fails', async () => {
    const api = fakeApi([webhook('a', 'disabled', 'retry_limit')], 'disabled');
    const report = await checkSubscriptionHealth(api, ok, { webhookUrl: URL, autoReenable: true });
    expect(report.disabled).toEqual([{ id: 'a', reason: 'delivery_url_validation_failed' }]);
  });
});

describe('runHealthJob', () => {
  it('publishes the count of disabled subscriptions', async () => {
    const api = fakeApi([webhook('a', 'disabled', 'retry_limit'), webhook('b', 'enabled')]);
    const result = await runHealthJob(api, ok, { webhookUrl: URL, autoReenable: false });
    expect(result.metrics).toMatchObject({ [R.subscriptionDisabled]: 1, [R.subscriptionCount]: 2 });
  });

  it('counts a check that could not read the subscriptions, and publishes no state', async () => {
    const api: SubscriptionApi = {
      listWebhooks: async () => {
        throw new Error('401');
      },
      updateWebhook: async () => ({}),
    };
    const result = await runHealthJob(api, ok, { webhookUrl: URL, autoReenable: false });
    expect(result.metrics).toEqual({ [R.subscriptionCheckFailed]: 1 });
  });
});
