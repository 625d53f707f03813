import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApideckWebhookApi } from '../../../lambda/reconcile/apideck-webhook-api.ts';
import { ManualClock } from '../../../tools/apideck/clock.ts';
import { type ApideckApiServer, startApideckApi } from '../../../tools/apideck/server.ts';
import { ApideckStandIn } from '../../../tools/apideck/stand-in.ts';
import { buildEvent, VECTOR_KEY } from '../../support/apideck-events.ts';
import {
  type RecordingEndpoint,
  startRecordingEndpoint,
} from '../../support/recording-endpoint.ts';
import { type SpecCheckedFetch, specCheckedFetch } from '../../support/spec-checked-fetch.ts';

const APP_ID = 'app-client-test';
const START_MS = Date.parse('2026-11-30T00:00:00.000Z');
const WINDOW = { startDate: '2026-11-29T00:00:00.000Z', endDate: '2026-12-01T00:00:00.000Z' };

let endpoint: RecordingEndpoint;
let standIn: ApideckStandIn;
let api: ApideckApiServer;
let checked: SpecCheckedFetch;
let sleeps: number[];

function client(overrides: { apiKey?: string; maxAttempts?: number } = {}): ApideckWebhookApi {
  return new ApideckWebhookApi({
    baseUrl: api.url,
    appId: APP_ID,
    apiKey: overrides.apiKey ?? VECTOR_KEY,
    maxAttempts: overrides.maxAttempts ?? 3,
    fetch: checked.fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

async function collect(source: AsyncIterable<readonly unknown[]>): Promise<unknown[][]> {
  const pages: unknown[][] = [];
  for await (const page of source) pages.push([...page]);
  return pages;
}

beforeEach(async () => {
  endpoint = await startRecordingEndpoint();
  standIn = new ApideckStandIn({
    applicationId: APP_ID,
    apiKey: VECTOR_KEY,
    clock: new ManualClock(START_MS),
  });
  api = await startApideckApi({ standIn });
  checked = await specCheckedFetch();
  sleeps = [];
  await standIn.createWebhook({
    unified_api: 'vault',
    status: 'enabled',
    delivery_url: endpoint.url,
    events: ['*'],
  });
});

afterEach(async () => {
  expect(checked.violations).toEqual([]);
  await api.close();
  await endpoint.close();
});

describe('ApideckWebhookApi', () => {
  it('walks the event log of a window to the last page', async () => {
    for (let i = 0; i < 450; i++) {
      await standIn.emit(buildEvent({ payload: { event_id: `e-${i}` } }).payload);
    }
    const pages = await collect(client().pages(WINDOW));
    expect(pages.map((page) => page.length)).toEqual([200, 200, 51]);
  });

  it('lists the subscriptions', async () => {
    expect(await client().listWebhooks()).toHaveLength(1);
  });

  it('updates a subscription and returns it as Apideck answered', async () => {
    const [webhook] = standIn.listWebhooks();
    const updated = await client().updateWebhook(webhook?.id ?? '', { status: 'disabled' });
    expect((updated as { status: string }).status).toBe('disabled');
  });

  it('fails as unauthorized on a wrong key, without retrying', async () => {
    const error = await collect(client({ apiKey: 'sk_wrong' }).pages(WINDOW)).catch((e) => e);
    expect([error.refusal, error.status, sleeps]).toEqual(['unauthorized', 401, []]);
  });

  it('fails as payment-required on a 402', async () => {
    api.refuse({ statusCode: 402, times: 1 });
    const error = await collect(client().pages(WINDOW)).catch((e) => e);
    expect([error.refusal, error.status]).toEqual(['payment-required', 402]);
  });

  it('retries a 429 with backoff and goes on when it clears', async () => {
    api.refuse({ statusCode: 429, times: 2 });
    const pages = await collect(client().pages(WINDOW));
    expect([pages.length, sleeps]).toEqual([1, [500, 1000]]);
  });

  it('fails as rate-limited when every attempt is refused with 429', async () => {
    api.refuse({ statusCode: 429, times: 3 });
    const error = await collect(client().pages(WINDOW)).catch((e) => e);
    expect([error.refusal, error.status]).toEqual(['rate-limited', 429]);
  });

  it('never puts the API key in an error message', async () => {
    const error = await collect(client({ apiKey: 'sk_secret_value' }).pages(WINDOW)).catch(
      (e) => e,
    );
    expect(String(error.message)).not.toContain('sk_secret_value');
  });
});

describe('ApideckWebhookApi on answers the spec leaves open', () => {
  function answering(body: unknown): ApideckWebhookApi {
    return new ApideckWebhookApi({
      baseUrl: 'https://unify.example',
      appId: APP_ID,
      apiKey: VECTOR_KEY,
      fetch: async () => new Response(JSON.stringify(body), { status: 200 }),
    });
  }

  it('refuses to call a page without meta.cursors.next the last one', async () => {
    const error = await collect(answering({ data: [], meta: {} }).pages(WINDOW)).catch((e) => e);
    expect(error.refusal).toBe('malformed');
  });

  it('stops a walk whose cursor repeats itself', async () => {
    const body = { data: [], meta: { cursors: { next: 'same' } } };
    const error = await collect(answering(body).pages(WINDOW)).catch((e) => e);
    expect(String(error.message)).toMatch(/cursor repeats/);
  });
});
