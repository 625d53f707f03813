/**
 * The Apideck stand-in as the event source of a running `npm run dev`:
 *
 *   npm run dev                                   # terminal 1
 *   npx tsx tools/apideck/main.ts --emit 3        # terminal 2
 *
 * Reads `.dev/endpoints.json`, subscribes to the dev receiver's URL (the signed
 * validation POST included), emits sample Vault events, delivers them signed
 * with the dev API key and retries failures on Apideck's schedule, sped up by
 * `--speed` (default 60: the 3-minute first retry comes after 3 s). It serves
 * the Webhook API on `--port`, so `npm run reconcile` can read its event log.
 * Stop a receiver (Ctrl-C in terminal 1, restart it) to watch retries, the
 * retry limit and reconciliation.
 *
 * The clock starts a day behind and runs `speed` times faster, so that a whole
 * retry schedule still lies in the past (the receiver refuses events from the
 * future); at speed 60 it catches up with real time after 24 minutes: restart
 * it then.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DAY_MS, MINUTE_MS } from '../../lambda/domain/time.ts';
import { endpointsFile, readEndpoints } from '../dev/state.ts';
import { loadSampleBytes, SAMPLE_EVENT_TYPES } from '../signed-delivery/sample-events.ts';
import { ScaledClock } from './clock.ts';
import { startApideckApi } from './server.ts';
import { ApideckStandIn, type DeliveryAttempt } from './stand-in.ts';

const APP_ID = 'dev-app';

const { values } = parseArgs({
  options: {
    emit: { type: 'string', default: '1' },
    every: { type: 'string' },
    speed: { type: 'string', default: '60' },
    port: { type: 'string', default: '4010' },
  },
});

const file = endpointsFile();
const endpoints = readEndpoints(file);
if (endpoints === undefined) {
  process.stderr.write(`apideck: no ${file}; start \`npm run dev\` first\n`);
  process.exit(1);
}
const speed = Number(values.speed);
const clock = new ScaledClock(speed, Date.now() - DAY_MS);
const standIn = new ApideckStandIn({ applicationId: APP_ID, apiKey: endpoints.apiKey, clock });
const api = await startApideckApi({ standIn, port: Number(values.port) });

function describe(attempt: DeliveryAttempt): string {
  const answer = attempt.statusCode === 0 ? 'no answer' : String(attempt.statusCode);
  const retry =
    attempt.retryAtMs === undefined
      ? ''
      : ` (retry in ${Math.round((attempt.retryAtMs - attempt.atMs) / MINUTE_MS)} min, ${((attempt.retryAtMs - attempt.atMs) / speed / 1000).toFixed(1)} s here)`;
  return `apideck: #${attempt.executionAttempt} ${attempt.eventType} ${attempt.eventId ?? ''} -> ${answer}${retry}`;
}

standIn.onAttempt((attempt) => {
  process.stdout.write(`${describe(attempt)}\n`);
  const webhook = standIn.getWebhook(attempt.webhookId);
  if (webhook?.status === 'disabled') {
    process.stdout.write(
      `apideck: subscription ${webhook.id} disabled (${webhook.disabled_reason})\n`,
    );
  }
});

const webhook = await standIn.createWebhook({
  unified_api: 'vault',
  status: 'enabled',
  delivery_url: endpoints.webhookUrl,
  events: ['*'],
});
process.stdout.write(
  `apideck: subscribed ${endpoints.webhookUrl}: ${webhook.status} (${webhook.disabled_reason})\n` +
    `apideck: Webhook API on ${api.url}; reconcile with\n` +
    `  APIDECK_APP_ID=${APP_ID} APIDECK_API_URL=${api.url} APIDECK_API_KEY=<the dev key> WEBHOOK_URL=${endpoints.webhookUrl} ...\n`,
);

let emitted = 0;
async function emit(): Promise<void> {
  const type =
    SAMPLE_EVENT_TYPES[emitted++ % SAMPLE_EVENT_TYPES.length] ?? 'vault.connection.created';
  const body = JSON.parse(loadSampleBytes(type).toString('utf8')) as {
    payload: Record<string, unknown>;
  };
  await standIn.emit({
    ...body.payload,
    event_id: randomUUID(),
    occurred_at: new Date(clock.now()).toISOString(),
  });
}

for (let i = 0; i < Number(values.emit); i++) await emit();
if (values.every !== undefined) setInterval(() => void emit(), Number(values.every) * 1000);

const stop = (): void => {
  void api.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
