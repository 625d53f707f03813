/**
 * Nothing lost beyond Apideck's retry horizon, through Apideck's
 * stand-in: its retry schedule runs on a manual clock (a whole day in well
 * under a second of real time); the receiver, the reconciler and the topics
 * are real, on the emulator. Figures go to stderr as `horizon-figures {...}`
 * (docs/reliability-horizon.md records a run).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/reconcile/run.ts';
import { RECONCILIATION_METRIC_NAMES as R } from '../../lambda/contract/reconciliation.ts';
import { setSigningKeys } from '../../tools/emulator/index.ts';
import { VECTOR_KEY } from '../support/apideck-events.ts';
import { type Horizon, startHorizon, tally } from './horizon-harness.ts';

const NEW_KEY = 'sk_test_apideck_rotated_key_9876543210';
let horizon: Horizon | undefined;

async function begin(options?: Parameters<typeof startHorizon>[0]): Promise<Horizon> {
  horizon = await startHorizon(options);
  return horizon;
}

function figures(name: string, values: Record<string, unknown>): void {
  process.stderr.write(`horizon-figures ${JSON.stringify({ scenario: name, ...values })}\n`);
}

afterEach(async () => {
  if (horizon !== undefined) {
    expect(horizon.checked.violations).toEqual([]);
    await horizon.close();
    horizon = undefined;
  }
});

describe('beyond the retry horizon', () => {
  it('recovers every event exactly once after an outage longer than the whole retry schedule', async () => {
    const h = await begin();
    const startedAt = Date.now();
    h.outage.down('503');
    const ids = await h.emit(20);
    await h.clock.runAll();
    const [webhook] = h.standIn.listWebhooks();
    const failedAttempts = h.standIn.attempts.filter((a) => a.eventId !== undefined && !a.success);
    const alarm = await h.checkHealth(true);
    h.outage.up();
    const healed = await h.checkHealth(true);
    const run = await h.reconcile(['--since', '48h']);
    const deliveries = await h.receiver.drain(ids.length);
    const { perEvent, recovered } = tally(deliveries);
    figures('outage beyond the retry schedule', {
      events: ids.length,
      failedAttempts: failedAttempts.length,
      virtualHours: (h.clock.now() - (failedAttempts[0]?.atMs ?? 0)) / 3_600_000,
      disabledReason: webhook?.disabled_reason,
      subscriptionDisabledWhileDown: alarm.metrics[R.subscriptionDisabled],
      reenabled: healed.metrics[R.subscriptionReenabled],
      summary: run.stdout[0],
      published: deliveries.length,
      recovered,
      wallMs: Date.now() - startedAt,
    });

    expect(webhook?.disabled_reason).toBe('retry_limit');
    expect(alarm.metrics[R.subscriptionDisabled]).toBe(1);
    expect(healed.metrics).toMatchObject({
      [R.subscriptionReenabled]: 1,
      [R.subscriptionDisabled]: 0,
    });
    expect(h.standIn.listWebhooks()[0]?.status).toBe('enabled');
    expect(run.exitCode).toBe(EXIT.finished);
    expect(run.summary).toMatchObject({ recovered: 20, alreadyDelivered: 0, failed: 0 });
    expect([...perEvent.keys()].sort()).toEqual([...ids].sort());
    expect([...perEvent.values()].every((n) => n === 1)).toBe(true);
    expect(recovered).toBe(20);
  });

  it('does not re-enable while the signed ping still fails', async () => {
    const h = await begin();
    h.outage.down('reset');
    await h.emit(1);
    await h.clock.runAll();
    const check = await h.checkHealth(true);
    expect([check.metrics[R.subscriptionDisabled], h.standIn.listWebhooks()[0]?.status]).toEqual([
      1,
      'disabled',
    ]);
  });
});

describe('key rotated in Apideck only', () => {
  it('recovers every event refused with 401 once the key is fixed, and later retries are duplicates', async () => {
    const h = await begin();
    h.standIn.rotateApiKey(NEW_KEY);
    const ids = await h.emit(10);
    await h.clock.advance(3_600_000);
    const statuses = new Set(
      h.standIn.attempts.filter((a) => a.eventId !== undefined).map((a) => a.statusCode),
    );
    const withOldKey = await h.reconcile(['--since', '48h']);
    await setSigningKeys({
      ...h.receiver.target,
      secretId: h.receiver.resources.secretId,
      apiKeys: [NEW_KEY, VECTOR_KEY],
    });
    const fixed = await h.reconcile(['--since', '48h']);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await h.clock.runAll();
    const lateRetries = h.standIn.attempts.filter(
      (a) => a.eventId !== undefined && a.success,
    ).length;
    const deliveries = await h.receiver.drain(ids.length);
    const more = await h.receiver.drain();
    const { perEvent, recovered } = tally([...deliveries, ...more]);
    figures('key rotated in Apideck only', {
      events: ids.length,
      statusesBeforeFix: [...statuses],
      withOldKey: withOldKey.stderr[0],
      summary: fixed.stdout[0],
      lateRetriesAnswered2xx: lateRetries,
      published: deliveries.length + more.length,
      recovered,
    });

    expect([...statuses]).toEqual([401]);
    expect(withOldKey.exitCode).toBe(EXIT.apideckRefused);
    expect(fixed.summary).toMatchObject({ recovered: 10, failed: 0 });
    expect(lateRetries).toBe(10);
    expect([perEvent.size, [...perEvent.values()].every((n) => n === 1)]).toEqual([10, true]);
  });
});

describe('reconciliation run twice', () => {
  it('publishes nothing the second time', async () => {
    const h = await begin();
    h.outage.down('503');
    const ids = await h.emit(10);
    h.outage.up();
    const first = await h.reconcile(['--since', '48h']);
    const second = await h.reconcile(['--since', '48h']);
    const deliveries = await h.receiver.drain(ids.length);
    const more = await h.receiver.drain();
    figures('reconciliation run twice', {
      first: first.stdout[0],
      second: second.stdout[0],
      published: deliveries.length + more.length,
    });

    expect(first.summary).toMatchObject({ recovered: 10 });
    expect(second.summary).toMatchObject({ recovered: 0, alreadyDelivered: 10 });
    expect([deliveries.length, more.length]).toEqual([10, 0]);
  });
});

describe('live deliveries during a reconciliation', () => {
  it('publishes each event once, whichever path gets there first', async () => {
    const h = await begin({
      logStyle: { entries: 'per-event', requestBody: 'payload', order: 'unordered' },
    });
    h.outage.down('503');
    const failed = await h.emit(20);
    h.outage.up();
    const [run, , live] = await Promise.all([
      h.reconcile(['--since', '48h']),
      h.clock.advance(10 * 60_000),
      h.emit(10),
    ]);
    const total = failed.length + live.length;
    const deliveries = await h.receiver.drain(total);
    const more = await h.receiver.drain();
    const { perEvent, recovered } = tally([...deliveries, ...more]);
    figures('live deliveries during a reconciliation', {
      failedFirst: failed.length,
      newLive: live.length,
      summary: run.stdout[0],
      published: deliveries.length + more.length,
      recovered,
      live: deliveries.length + more.length - recovered,
    });

    expect(run.exitCode).toBe(EXIT.finished);
    expect(perEvent.size).toBe(total);
    expect([...perEvent.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('npm run reconcile refusals', () => {
  it('refuses a window beyond the retention minus the replay margin, with the reason', async () => {
    const h = await begin();
    const run = await h.reconcile(['--since', '145h']);
    expect([run.exitCode, run.stderr[0]]).toEqual([
      EXIT.windowRefused,
      expect.stringContaining('leaves 144 h'),
    ]);
  });

  it('exits non-zero when Apideck answers 402', async () => {
    const h = await begin();
    h.api.refuse({ statusCode: 402, times: 1 });
    const run = await h.reconcile(['--since', '48h']);
    expect([run.exitCode, run.stderr[0]]).toEqual([
      EXIT.apideckRefused,
      expect.stringContaining('payment-required'),
    ]);
  });

  it('exits non-zero when Apideck keeps answering 429', async () => {
    const h = await begin();
    h.api.refuse({ statusCode: 429, times: 10 });
    const run = await h.reconcile(['--since', '48h']);
    expect([run.exitCode, run.stderr[0]]).toEqual([
      EXIT.apideckRefused,
      expect.stringContaining('rate-limited'),
    ]);
  });

  it('reads and publishes nothing on a dry run, and says what it would recover', async () => {
    const h = await begin();
    h.outage.down('503');
    await h.emit(3);
    const run = await h.reconcile(['--since', '48h', '--dry-run']);
    const published = await h.receiver.drain();
    expect([run.stdout[0], published.length]).toEqual([
      expect.stringContaining('would recover 3'),
      0,
    ]);
  });
});
