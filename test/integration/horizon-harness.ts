/**
 * Apideck -> receiver -> topics, with Apideck's stand-in in front: the real
 * handler behind the dev server's API Gateway stand-in, an outage switch on its
 * URL, the stand-in delivering to it on a manual clock (started 20 virtual hours
 * ago, so that a whole retry schedule still lies in the past) and serving its
 * Webhook API, and the reconciler run in process as `npm run reconcile` is.
 */
import { randomUUID } from 'node:crypto';
import { type ReconcileRunResult, runReconcile } from '../../cli/reconcile/run.ts';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import { APIDECK_ENVIRONMENT } from '../../lambda/contract/reconciliation.ts';
import { HOUR_MS } from '../../lambda/domain/time.ts';
import { apideckApi } from '../../lambda/reconcile/compose-reconciler.ts';
import { loadApideckConfig } from '../../lambda/reconcile/config.ts';
import { runHealthJob } from '../../lambda/subscription-health/jobs.ts';
import { signedPing } from '../../lambda/subscription-health/ping.ts';
import { ManualClock } from '../../tools/apideck/clock.ts';
import { type ApideckApiServer, startApideckApi } from '../../tools/apideck/server.ts';
import { ApideckStandIn, type EventLogStyle } from '../../tools/apideck/stand-in.ts';
import { type DevServer, startDevServer } from '../../tools/emulator/api-gateway/server.ts';
import type { TapDelivery } from '../../tools/emulator/index.ts';
import { buildEvent, VECTOR_KEY } from '../support/apideck-events.ts';
import { type OutageSwitch, startOutageSwitch } from '../support/outage-switch.ts';
import { type SpecCheckedFetch, specCheckedFetch } from '../support/spec-checked-fetch.ts';
import { type ReceiverUnderTest, startReceiver } from './receiver-harness.ts';

export const APP_ID = 'app-horizon';

/** Everything a horizon scenario drives. */
export interface Horizon {
  readonly receiver: ReceiverUnderTest;
  readonly clock: ManualClock;
  readonly standIn: ApideckStandIn;
  readonly api: ApideckApiServer;
  readonly outage: OutageSwitch;
  readonly checked: SpecCheckedFetch;
  /** The URL Apideck delivers to (the outage switch in front of the dev server). */
  readonly webhookUrl: string;
  /** The reconciler's environment, as an operator would set it. */
  readonly env: Record<string, string | undefined>;
  /** Emits `count` new events at the clock's time, 1 virtual second apart; returns their ids. */
  emit(count: number): Promise<string[]>;
  /** `npm run reconcile -- <argv>` with the harness's environment (plus `env`). */
  reconcile(
    argv: readonly string[],
    env?: Record<string, string | undefined>,
  ): Promise<ReconcileRunResult>;
  /** The health job as the scheduled function runs it. */
  checkHealth(autoReenable: boolean): ReturnType<typeof runHealthJob>;
  close(): Promise<void>;
}

/** Starts a horizon with a subscription to the receiver. */
export async function startHorizon(
  options: { logStyle?: Partial<EventLogStyle> } = {},
): Promise<Horizon> {
  // Re-read the secret at most every second: the key-rotation scenario fixes the secret mid-run.
  const receiver = await startReceiver({ [ENVIRONMENT.keyRefreshIntervalSeconds]: '1' });
  const devServer: DevServer = await startDevServer({
    handler: receiver.handler,
    port: 0,
    host: '127.0.0.1',
    log: () => undefined,
  });
  const outage = await startOutageSwitch(devServer.webhookUrl);
  const clock = new ManualClock(Date.now() - 20 * HOUR_MS);
  const standIn = new ApideckStandIn({
    applicationId: APP_ID,
    apiKey: VECTOR_KEY,
    clock,
    ...(options.logStyle === undefined ? {} : { logStyle: options.logStyle }),
  });
  const api = await startApideckApi({ standIn });
  const checked = await specCheckedFetch();
  const webhookUrl = outage.url;
  await standIn.createWebhook({
    unified_api: 'vault',
    status: 'enabled',
    delivery_url: webhookUrl,
    events: ['*'],
  });
  const env: Record<string, string | undefined> = {
    ...receiver.resources.environment,
    [APIDECK_ENVIRONMENT.appId]: APP_ID,
    [APIDECK_ENVIRONMENT.apiUrl]: api.url,
    [APIDECK_ENVIRONMENT.webhookUrl]: webhookUrl,
  };
  return {
    receiver,
    clock,
    standIn,
    api,
    outage,
    checked,
    webhookUrl,
    env,
    async emit(count) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const id = randomUUID();
        ids.push(id);
        await standIn.emit(
          buildEvent({
            payload: { event_id: id, occurred_at: new Date(clock.now()).toISOString() },
          }).payload,
        );
        await clock.advance(1000);
      }
      return ids;
    },
    reconcile: (argv, extra = {}) =>
      runReconcile(
        argv,
        { ...env, ...extra },
        { fetch: checked.fetch, sleep: async () => undefined },
      ),
    checkHealth(autoReenable) {
      const config = loadApideckConfig({ ...env, [APIDECK_ENVIRONMENT.apiKey]: VECTOR_KEY });
      return runHealthJob(
        apideckApi(config, VECTOR_KEY, { fetch: checked.fetch }),
        signedPing(config.webhookUrl, VECTOR_KEY),
        { webhookUrl: config.webhookUrl, autoReenable },
      );
    },
    async close() {
      await api.close();
      await outage.close();
      await devServer.close();
    },
  };
}

/** How often each event id reached the topics, and how many of those carried `recovered`. */
export function tally(deliveries: readonly TapDelivery[]): {
  readonly perEvent: Map<string, number>;
  readonly recovered: number;
} {
  const perEvent = new Map<string, number>();
  let recovered = 0;
  for (const delivery of deliveries) {
    const id = delivery.attributes.event_id ?? '';
    perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
    if (delivery.attributes.recovered === 'true') recovered++;
  }
  return { perEvent, recovered };
}
