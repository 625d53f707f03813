/**
 * The receiver's answers behind either kind of API Gateway, over HTTP: the real
 * handler (on the emulator) behind the stand-in playing the REST API and the
 * HTTP API (payload format 2.0). Every request the handler answers gets the
 * same answer from both; a missing signature header too (the REST API's
 * request validator and gateway response, the handler behind the HTTP API).
 * What each API answers by itself, where no setting can make the two the same,
 * is listed with its kind's answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT_DEFAULTS } from '../../lambda/contract/environment.ts';
import { SIGNATURE_HEADER } from '../../lambda/contract/http.ts';
import { DAY_MS } from '../../lambda/domain/time.ts';
import type { ApiKindName } from '../../tools/emulator/api-gateway/kinds.ts';
import { type DevServer, startDevServer } from '../../tools/emulator/api-gateway/server.ts';
import { outcomeOf } from '../../tools/signed-delivery/post-deliveries.ts';
import { signHex, VECTOR_KEY, wireText } from '../support/apideck-events.ts';
import { freshEvent, type ReceiverUnderTest, startReceiver } from './receiver-harness.ts';

interface Request {
  readonly method?: string;
  readonly path?: string;
  readonly body?: string;
  readonly signature?: string;
}

/** Signed over the raw bytes, which the receiver accepts for any body. */
function signedRaw(body: string): Request {
  return { body, signature: signHex(body, VECTOR_KEY, 'raw') };
}

function signedEvent(event: object): Request {
  const body = wireText(event);
  return { body, signature: signHex(body) };
}

const MIB = 1024 * 1024;
const padded = (bytes: number): string => `{"pad":"${'x'.repeat(bytes)}"}`;

/**
 * Each case: what is sent (built per kind, so that each kind sees its own new
 * event), and the answer (`<status> <status or message>`) of the REST API and
 * of the HTTP API.
 */
const CASES: readonly {
  readonly name: string;
  readonly request: () => Request;
  readonly rest: string;
  readonly http: string;
}[] = [
  {
    name: 'Apideck URL validation (signed, not an event)',
    request: () => signedRaw('{}'),
    rest: '200 ignored',
    http: '200 ignored',
  },
  {
    name: 'no signature header',
    request: () => ({ body: wireText(freshEvent()) }),
    rest: '401 unauthorized',
    http: '401 unauthorized',
  },
  {
    name: 'blank signature header',
    request: () => ({ body: wireText(freshEvent()), signature: ' ' }),
    rest: '401 unauthorized',
    http: '401 unauthorized',
  },
  {
    name: 'wrong signature',
    request: () => ({ body: wireText(freshEvent()), signature: signHex('{}') }),
    rest: '401 unauthorized',
    http: '401 unauthorized',
  },
  {
    name: 'signed, not JSON',
    request: () => signedRaw('{"payload":'),
    rest: '400 invalid_json',
    http: '400 invalid_json',
  },
  {
    name: 'signed, no event_id',
    request: () => signedRaw('{"payload":{"event_type":"vault.connection.created"}}'),
    rest: '400 invalid_envelope',
    http: '400 invalid_envelope',
  },
  {
    name: 'occurred_at older than the replay window',
    request: () =>
      signedEvent(
        freshEvent({ payload: { occurred_at: new Date(Date.now() - 30 * DAY_MS).toISOString() } }),
      ),
    rest: '422 outside_replay_window',
    http: '422 outside_replay_window',
  },
  {
    name: `body over maxBodyBytes (${ENVIRONMENT_DEFAULTS.maxBodyBytes} + 1 KiB)`,
    request: () => signedRaw(padded(ENVIRONMENT_DEFAULTS.maxBodyBytes + 1024)),
    rest: '413 too_large',
    http: '413 too_large',
  },
  // Without the web ACL (with it, the REST API's web ACL answers 413 too_large first).
  {
    name: "body of 7 MiB: over Lambda's 6 MB invocation limit",
    request: () => signedRaw(padded(7 * MIB)),
    rest: '502 Internal server error',
    http: '500 Internal Server Error',
  },
  {
    name: "body over API Gateway's 10 MB",
    request: () => signedRaw(padded(11 * MIB)),
    rest: '413 too_large',
    http: '413 Request Entity Too Large',
  },
  {
    name: 'GET /webhooks',
    request: () => ({ method: 'GET' }),
    rest: '403 Missing Authentication Token',
    http: '404 Not Found',
  },
  {
    name: 'POST /other',
    request: () => ({ path: '/other', ...signedRaw('{}') }),
    rest: '403 Missing Authentication Token',
    http: '404 Not Found',
  },
];

interface Answer {
  readonly key: string;
  readonly body: string;
  readonly headers: Headers;
}

let receiver: ReceiverUnderTest;
const servers = new Map<ApiKindName, DevServer>();

beforeAll(async () => {
  receiver = await startReceiver();
  for (const apiKind of ['rest', 'http'] as const) {
    servers.set(
      apiKind,
      await startDevServer({
        handler: receiver.handler,
        port: 0,
        host: '127.0.0.1',
        log: () => undefined,
        apiKind,
      }),
    );
  }
});

afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => server.close()));
});

async function send(apiKind: ApiKindName, request: Request): Promise<Answer> {
  const server = servers.get(apiKind);
  if (server === undefined) throw new Error(`no ${apiKind} server`);
  const url = server.webhookUrl.replace(/\/webhooks$/, request.path ?? '/webhooks');
  const response = await fetch(url, {
    method: request.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      ...(request.signature !== undefined && { [SIGNATURE_HEADER]: request.signature }),
    },
    ...(request.body !== undefined && { body: request.body }),
  });
  const body = await response.text();
  return { key: `${response.status} ${outcomeOf(body)}`, body, headers: response.headers };
}

describe('the receiver behind a REST API and behind an HTTP API', () => {
  it.each(CASES)('$name: REST $rest, HTTP $http', async ({ request, rest, http }) => {
    const answers = [(await send('rest', request())).key, (await send('http', request())).key];
    expect(answers).toEqual([rest, http]);
  });

  it('publishes a new event (200 published) and answers its repeat 200 duplicate, behind either', async () => {
    const answers: string[] = [];
    for (const apiKind of ['rest', 'http'] as const) {
      const request = signedEvent(freshEvent());
      answers.push((await send(apiKind, request)).key, (await send(apiKind, request)).key);
    }
    expect(answers).toEqual(['200 published', '200 duplicate', '200 published', '200 duplicate']);
  });

  it('answers a missing signature header with the same bytes and headers behind either', async () => {
    const request = { body: wireText(freshEvent()) };
    const [rest, http] = [await send('rest', request), await send('http', request)];
    expect([
      http.body,
      http.headers.get('content-type'),
      http.headers.get('cache-control'),
    ]).toEqual([rest.body, rest.headers.get('content-type'), rest.headers.get('cache-control')]);
  });

  it('answers a body over maxBodyBytes with the same bytes behind either', async () => {
    const request = signedRaw(padded(ENVIRONMENT_DEFAULTS.maxBodyBytes + 1));
    expect((await send('http', request)).body).toBe((await send('rest', request)).body);
  });
});
