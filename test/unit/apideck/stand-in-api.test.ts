import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../tools/apideck/clock.ts';
import { type ApideckApiServer, startApideckApi } from '../../../tools/apideck/server.ts';
import { ApideckStandIn } from '../../../tools/apideck/stand-in.ts';
import { buildEvent, VECTOR_KEY } from '../../support/apideck-events.ts';
import {
  type RecordingEndpoint,
  startRecordingEndpoint,
} from '../../support/recording-endpoint.ts';
import { type SpecCheckedFetch, specCheckedFetch } from '../../support/spec-checked-fetch.ts';

const APP_ID = 'app-under-test';
const START_MS = Date.parse('2026-11-30T00:00:00.000Z');

let endpoint: RecordingEndpoint;
let clock: ManualClock;
let standIn: ApideckStandIn;
let api: ApideckApiServer;
let checked: SpecCheckedFetch;
/** Every (operation, status) validated in this file, for the coverage check at the end. */
const coverage = new Set<string>();

const auth = { authorization: `Bearer ${VECTOR_KEY}`, 'x-apideck-app-id': APP_ID };

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = auth,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await checked.fetch(`${api.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function createBody(url = endpoint.url) {
  return { unified_api: 'vault', status: 'enabled', delivery_url: url, events: ['*'] };
}

async function emitMany(count: number, success: boolean): Promise<void> {
  endpoint.answerWith(success ? 200 : 503);
  for (let i = 0; i < count; i++) {
    await standIn.emit(buildEvent({ payload: { event_id: `event-${success}-${i}` } }).payload);
    await clock.advance(1000);
  }
}

beforeAll(async () => {
  endpoint = await startRecordingEndpoint();
});

afterAll(async () => {
  await endpoint.close();
});

beforeEach(async () => {
  endpoint.answerWith(200);
  clock = new ManualClock(START_MS);
  standIn = new ApideckStandIn({ applicationId: APP_ID, apiKey: VECTOR_KEY, clock });
  api = await startApideckApi({ standIn });
  checked = await specCheckedFetch();
});

afterEach(async () => {
  for (const entry of checked.covered) coverage.add(entry);
  expect(checked.violations).toEqual([]);
  await api.close();
});

describe('Webhook API stand-in: subscriptions', () => {
  it('creates a subscription (201) with its validated status', async () => {
    const { status, json } = await call('POST', '/webhook/webhooks', createBody());
    expect([status, (json.data as { status: string }).status]).toEqual([201, 'enabled']);
  });

  it('lists the subscriptions', async () => {
    await call('POST', '/webhook/webhooks', createBody());
    const { json } = await call('GET', '/webhook/webhooks');
    expect((json.data as unknown[]).length).toBe(1);
  });

  it('gets one subscription', async () => {
    const created = await call('POST', '/webhook/webhooks', createBody());
    const id = (created.json.data as { id: string }).id;
    const { json } = await call('GET', `/webhook/webhooks/${id}`);
    expect((json.data as { id: string }).id).toBe(id);
  });

  it('updates a subscription and answers with its new state', async () => {
    const created = await call('POST', '/webhook/webhooks', createBody());
    const id = (created.json.data as { id: string }).id;
    const { json } = await call('PATCH', `/webhook/webhooks/${id}`, { status: 'disabled' });
    expect((json.data as { status: string }).status).toBe('disabled');
  });

  it('deletes a subscription', async () => {
    const created = await call('POST', '/webhook/webhooks', createBody());
    const id = (created.json.data as { id: string }).id;
    await call('DELETE', `/webhook/webhooks/${id}`);
    expect((await call('GET', `/webhook/webhooks/${id}`)).status).toBe(404);
  });

  it('answers 404 for an unknown subscription', async () => {
    expect((await call('PATCH', '/webhook/webhooks/nope', { status: 'enabled' })).status).toBe(404);
  });

  it('refuses a body the specification refuses (400)', async () => {
    const { status } = await call('POST', '/webhook/webhooks', {
      ...createBody(),
      status: 'paused',
    });
    const caught = checked.takeViolations().map((v) => [v.operation, v.part]);
    expect([status, caught]).toEqual([400, [['webhooksAdd', 'request']]]);
  });
});

describe('Webhook API stand-in: authentication', () => {
  it('refuses a wrong API key (401)', async () => {
    const headers = { ...auth, authorization: 'Bearer sk_wrong' };
    expect((await call('GET', '/webhook/logs', undefined, headers)).status).toBe(401);
  });

  it('refuses another application id (401)', async () => {
    const headers = { ...auth, 'x-apideck-app-id': 'someone-else' };
    expect((await call('GET', '/webhook/webhooks', undefined, headers)).status).toBe(401);
  });

  it('refuses a request without x-apideck-app-id (400)', async () => {
    const { status } = await call('GET', '/webhook/webhooks', undefined, {
      authorization: auth.authorization,
    });
    const caught = checked.takeViolations().map((v) => [v.operation, v.part]);
    expect([status, caught]).toEqual([400, [['webhooksAll', 'request']]]);
  });

  it('answers a rate limit with the default error body (429)', async () => {
    api.refuse({ statusCode: 429, times: 1 });
    expect((await call('GET', '/webhook/logs')).status).toBe(429);
  });

  it('authenticates with the rotated key once the key is rotated', async () => {
    standIn.rotateApiKey('sk_test_new');
    const headers = { ...auth, authorization: 'Bearer sk_test_new' };
    expect((await call('GET', '/webhook/logs', undefined, headers)).status).toBe(200);
  });

  it('answers a forced refusal with Apideck error body (402)', async () => {
    api.refuse({ statusCode: 402, times: 1 });
    const first = await call('GET', '/webhook/logs');
    const second = await call('GET', '/webhook/logs');
    expect([first.status, first.json.type_name, second.status]).toEqual([
      402,
      'RequestLimitError',
      200,
    ]);
  });
});

describe('Webhook API stand-in: event log', () => {
  async function walk(query: string, limit = 3): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const suffix: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const { json } = await call('GET', `/webhook/logs?limit=${limit}${query}${suffix}`);
      for (const entry of json.data as Array<{ id: string }>) ids.push(entry.id);
      cursor = (json.meta as { cursors: { next: string | null } }).cursors.next;
      pages++;
    } while (cursor !== null);
    return { ids, pages };
  }

  it('walks every entry page by page until meta.cursors.next is null', async () => {
    await call('POST', '/webhook/webhooks', createBody());
    await emitMany(7, true);
    const { ids, pages } = await walk('');
    expect([new Set(ids).size, pages]).toEqual([8, 3]);
  });

  it('filters on success', async () => {
    await call('POST', '/webhook/webhooks', createBody());
    await emitMany(2, true);
    await emitMany(3, false);
    const { json } = await call('GET', '/webhook/logs?filter[success]=false');
    expect((json.data as unknown[]).length).toBe(3);
  });

  it('filters on event_id', async () => {
    await call('POST', '/webhook/webhooks', createBody());
    await emitMany(3, true);
    const { json } = await call('GET', '/webhook/logs?filter[event_id]=event-true-1');
    expect((json.data as Array<{ request_body: string }>)[0]?.request_body).toContain(
      'event-true-1',
    );
  });

  it('filters on start_date and end_date, inclusive', async () => {
    await call('POST', '/webhook/webhooks', createBody());
    await emitMany(5, true);
    const from = new Date(START_MS + 1000).toISOString();
    const to = new Date(START_MS + 3000).toISOString();
    const { json } = await call(
      'GET',
      `/webhook/logs?filter[start_date]=${from}&filter[end_date]=${to}`,
    );
    expect((json.data as unknown[]).length).toBe(3);
  });

  it('filters on status_codes and event_type', async () => {
    await call('POST', '/webhook/webhooks', createBody());
    await emitMany(2, false);
    const { json } = await call(
      'GET',
      '/webhook/logs?filter[status_codes][]=503&filter[event_type]=vault.connection.created',
    );
    expect((json.data as unknown[]).length).toBe(2);
  });

  it('refuses a limit over 200 (400)', async () => {
    const { status } = await call('GET', '/webhook/logs?limit=201');
    const caught = checked.takeViolations().map((v) => [v.operation, v.part]);
    expect([status, caught]).toEqual([400, [['eventLogsAll', 'request']]]);
  });

  it('refuses a cursor it did not issue (400)', async () => {
    expect((await call('GET', '/webhook/logs?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
  });
});

describe('Webhook API stand-in: specification coverage', () => {
  it('validated an answer of every operation it serves, success and error', () => {
    expect([...coverage].sort()).toEqual(
      expect.arrayContaining([
        'eventLogsAll 200',
        'eventLogsAll 400',
        'eventLogsAll 401',
        'eventLogsAll 402',
        'eventLogsAll 429',
        'webhooksAdd 201',
        'webhooksAdd 400',
        'webhooksAll 200',
        'webhooksAll 400',
        'webhooksAll 401',
        'webhooksDelete 200',
        'webhooksOne 200',
        'webhooksOne 404',
        'webhooksUpdate 200',
        'webhooksUpdate 404',
      ]),
    );
  });
});
