/**
 * The local pipeline, end to end, as a new user runs it: `npm run dev` as a
 * child process (its own moto, started and stopped by it), signed events sent
 * with `npm run send`, and what the tap printed. Then SIGTERM to npm, and no
 * process of the tree may be left.
 *
 * The dev process starts its own emulator, not the one of the global setup; it
 * is handed `AWS_ENDPOINT_URL` only when the whole run uses an external one.
 * `DEV_STATE_DIR` keeps its `endpoints.json` out of a developer's `.dev/`.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CATCH_ALL_ROUTE,
  VAULT_CONNECTION_EVENT_TYPES,
} from '../../lambda/contract/event-catalogue.ts';
import { toHttpResponse } from '../../lambda/http/responses.ts';
import { type DevEndpoints, readEndpoints } from '../../tools/dev/state.ts';
import { topicName } from '../../tools/dev/tap-printer.ts';
import { toApiGatewayEvent } from '../../tools/emulator/api-gateway/event.ts';
import {
  matchRoute,
  validateRequestParameters,
} from '../../tools/emulator/api-gateway/validator.ts';
import { freePort } from '../../tools/emulator/free-port.ts';
import { loadSampleBytes } from '../../tools/signed-delivery/sample-events.ts';
import { createBodyFactory } from '../../tools/signed-delivery/signed-bodies.ts';
import { referenceCanonicalJson } from '../support/canonical-reference.ts';
import {
  type DevProcess,
  descendants,
  isAlive,
  killAll,
  type ProcessInfo,
  runSend,
  startDev,
  waitFor,
} from './dev-process.ts';

const CREATED = 'vault.connection.created';
const CREATED_SAMPLE_ID = '00005eed-0000-0000-0000-000000000000';
const external = Boolean(process.env.AWS_ENDPOINT_URL);

describe('npm run dev and npm run send, end to end', () => {
  let stateDir: string;
  let port: number;
  let env: NodeJS.ProcessEnv;
  let dev: DevProcess | undefined;
  let endpoints: DevEndpoints;
  let tree: ProcessInfo[] = [];

  const output = (): string => dev?.output() ?? '';
  const tapLines = (eventId: string): string[] =>
    output()
      .split('\n')
      .filter((line) => line.startsWith('tap  ') && line.includes(`  ${eventId}  `));
  const waitForTap = (eventId: string): Promise<string> =>
    waitFor(`the tap line of ${eventId}`, () => tapLines(eventId)[0], 10_000, output);

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'dev-pipeline-'));
    port = await freePort();
    env = { ...process.env, PORT: String(port), DEV_STATE_DIR: stateDir };
    delete env.APIDECK_API_KEY;
    delete env.HOST;
    const started = startDev(env);
    dev = started;
    const file = join(stateDir, 'endpoints.json');
    endpoints = await waitFor(
      'endpoints.json',
      () => {
        if (started.child.exitCode !== null) {
          throw new Error(`npm run dev exited early:\n${started.output()}`);
        }
        return readEndpoints(file);
      },
      45_000,
      output,
    );
    // The banner is printed after endpoints.json is written, and its lines reach this
    // process through a pipe some time later: wait for its last line before reading it.
    await waitFor(
      'the end of the banner',
      () => (output().includes('In another terminal:') ? true : undefined),
      10_000,
      output,
    );
  }, 60_000);

  afterAll(() => {
    // Only when a test failed half-way: the SIGTERM test leaves nothing to kill.
    if (dev && dev.child.exitCode === null && dev.child.signalCode === null) {
      tree = [...tree, ...descendants(dev.pid)];
      killAll(dev.pid, []);
    }
    killAll(
      undefined,
      tree.filter((entry) => isAlive(entry.pid)).map((entry) => entry.pid),
    );
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('writes endpoints.json: the webhook URL on PORT, the emulator, a generated key, 13 topics', () => {
    expect(Object.keys(endpoints).sort()).toEqual(
      ['apiKey', 'emulatorEndpoint', 'region', 'topics', 'webhookUrl'].sort(),
    );
    expect(endpoints.webhookUrl).toBe(`http://127.0.0.1:${port}/webhooks`);
    expect(endpoints.emulatorEndpoint).toMatch(/^http:\/\//);
    expect(endpoints.apiKey).toMatch(/^sk_dev_[0-9a-f]{32}$/);
    expect(Object.keys(endpoints.topics).sort()).toEqual(
      [...VAULT_CONNECTION_EVENT_TYPES, CATCH_ALL_ROUTE].sort(),
    );
    for (const arn of Object.values(endpoints.topics)) {
      expect(arn).toMatch(new RegExp(`^arn:aws:sns:${endpoints.region}:\\d{12}:`));
    }
    expect(output()).toContain(`POST ${endpoints.webhookUrl}`);
    expect(output()).toContain(endpoints.apiKey);
    expect(output()).toContain(endpoints.topics[CREATED]);
  });

  it('answers as API Gateway does before invoking the handler', async () => {
    const unsigned = await fetch(endpoints.webhookUrl, { method: 'POST', body: '{}' });
    const get = await fetch(endpoints.webhookUrl);
    const elsewhere = await fetch(endpoints.webhookUrl.replace('/webhooks', '/hooks'), {
      method: 'POST',
      headers: { 'x-apideck-signature': 'abc' },
      body: '{}',
    });

    // The construct's BAD_REQUEST_PARAMETERS gateway response: the handler's 401.
    const handlerAnswer = toHttpResponse({ kind: 'signature-rejected', reason: 'missing' });
    expect([unsigned.status, await unsigned.text()]).toEqual([401, handlerAnswer.body]);
    expect(JSON.parse(handlerAnswer.body)).toEqual({
      status: 'unauthorized',
      reason: 'missing or invalid x-apideck-signature',
    });
    expect(unsigned.headers.get('content-type')).toBe('application/json');
    expect(unsigned.headers.get('cache-control')).toBe('no-store');
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(unsigned.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const refusedLine =
      /gateway {2}401 POST \/webhooks {2}no x-apideck-signature header \(handler not invoked\)/;
    await waitFor(
      'the gateway line of the unsigned request',
      () => (refusedLine.test(output()) ? true : undefined),
      5_000,
      output,
    );
    for (const refused of [get, elsewhere]) {
      expect([refused.status, await refused.json()]).toEqual([
        403,
        { message: 'Missing Authentication Token' },
      ]);
    }
  });

  it('publishes a sent event once, on its topic, however often it is sent', async () => {
    const first = await runSend([CREATED], env);
    const line = await waitForTap(CREATED_SAMPLE_ID);
    const again = await runSend([CREATED], env);
    // A marker sent after the repeat: once its three events are tapped, a second
    // delivery of the first event would have been tapped too.
    const marker = await runSend(
      ['vault.connection.token_refresh.failed', '--fresh', '--times', '3', '--concurrency', '3'],
      env,
    );
    const markerIds = [...marker.stdout.matchAll(/200 published {2}(\S+)/g)].map((m) => m[1] ?? '');
    await Promise.all(markerIds.map(waitForTap));

    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toContain(`200 published  ${CREATED_SAMPLE_ID}`);
    expect(first.stdout).toMatch(/sent 1 {2}200:1 {2}\(published:1\) {2}p50 [\d.]+ ms {2}p99/);
    expect(line).toBe(
      `tap  ${CREATED}  ${CREATED_SAMPLE_ID}  topic=${topicName(endpoints.topics[CREATED] ?? '')}  attrs=${JSON.stringify(
        {
          connector: 'salesforce',
          consumer_id: 'acme-user-42',
          entity_id: 'crm+salesforce',
          unified_api: 'crm',
        },
      )}`,
    );
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain(`200 duplicate  ${CREATED_SAMPLE_ID}`);
    expect(markerIds).toHaveLength(3);
    expect(new Set(markerIds).size).toBe(3);
    for (const id of markerIds) {
      expect(tapLines(id)).toEqual([
        expect.stringContaining(
          `topic=${topicName(endpoints.topics['vault.connection.token_refresh.failed'] ?? '')}`,
        ),
      ]);
    }
    expect(tapLines(CREATED_SAMPLE_ID)).toHaveLength(1);
  });

  it('sends any event from a file; a type without a topic reaches the catch-all topic', async () => {
    const eventId = randomUUID();
    const file = join(stateDir, 'teleported.json');
    writeFileSync(
      file,
      JSON.stringify({
        payload: {
          event_type: 'vault.connection.teleported',
          event_id: eventId,
          entity_id: 'crm+salesforce',
          occurred_at: new Date().toISOString(),
        },
      }),
    );

    const sent = await runSend([file], env);
    const line = await waitForTap(eventId);

    expect(sent.stdout).toContain(`200 published  ${eventId}`);
    expect(line).toContain(
      `tap  vault.connection.teleported  ${eventId}  topic=${topicName(endpoints.topics[CATCH_ALL_ROUTE] ?? '')}`,
    );
  });

  it('stops on SIGTERM to npm: exit code 0, no process of its tree left', async () => {
    const running = dev as DevProcess;
    tree = descendants(running.pid);
    if (!external) {
      expect(tree.map((entry) => entry.command)).toContainEqual(
        expect.stringContaining('moto_server'),
      );
    }
    expect(tree.map((entry) => entry.command)).toContainEqual(
      expect.stringContaining('tools/dev/main.ts'),
    );

    process.kill(running.pid, 'SIGTERM');
    const exit = await running.exited;
    const left = await waitFor(
      'the tree to end',
      () => {
        const alive = tree.filter((entry) => isAlive(entry.pid));
        return alive.length === 0 ? alive : undefined;
      },
      5_000,
      () => JSON.stringify(tree.filter((entry) => isAlive(entry.pid))),
    ).catch(() => tree.filter((entry) => isAlive(entry.pid)));

    expect(exit).toEqual({ code: 0, signal: null });
    expect(left).toEqual([]);
    expect(output()).toContain('dev: SIGTERM received, stopping');
    expect(output()).toContain('dev: stopped');
    expect(existsSync(join(stateDir, 'endpoints.json'))).toBe(false);
  });
});

describe('the API Gateway stand-in and the sender, without processes', () => {
  const request = {
    method: 'POST',
    url: '/webhooks?source=apideck&source=retry',
    httpVersion: '1.1',
    socket: { remoteAddress: '::ffff:127.0.0.1', localPort: 3000 },
    rawHeaders: [
      'Host',
      '127.0.0.1:3000',
      'Content-Type',
      'application/json',
      'X-Apideck-Signature',
      'abc',
      'X-Extra',
      'one',
      'x-extra',
      'two',
    ],
  };

  it('builds the proxy event: last value in headers, all in multiValueHeaders, text body', () => {
    const event = toApiGatewayEvent(request, Buffer.from('{"a":1}'), {
      requestId: 'req-1',
      receivedAtMs: Date.parse('2026-11-27T05:55:40.000Z'),
    });

    expect(event).toMatchObject({
      resource: '/webhooks',
      path: '/webhooks',
      httpMethod: 'POST',
      body: '{"a":1}',
      isBase64Encoded: false,
      queryStringParameters: { source: 'retry' },
      multiValueQueryStringParameters: { source: ['apideck', 'retry'] },
      requestContext: {
        requestId: 'req-1',
        requestTime: '27/Nov/2026:05:55:40 +0000',
        resourcePath: '/webhooks',
        identity: { sourceIp: '127.0.0.1' },
      },
    });
    expect(event.headers).toMatchObject({ 'X-Apideck-Signature': 'abc', 'X-Extra': 'two' });
    expect(event.multiValueHeaders['X-Extra']).toEqual(['one', 'two']);
    expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it('passes a body base64-encoded only for a binary media type, and no body as null', () => {
    const options = { requestId: 'r', receivedAtMs: 0 };
    const bytes = Buffer.from([0xff, 0x00, 0x7b]);

    expect(toApiGatewayEvent(request, bytes, options).isBase64Encoded).toBe(false);
    expect(
      toApiGatewayEvent(request, bytes, { ...options, binaryMediaTypes: ['application/*'] }),
    ).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
    expect(toApiGatewayEvent(request, Buffer.alloc(0), options).body).toBeNull();
  });

  it('refuses what API Gateway refuses, whatever the header spelling', () => {
    expect(matchRoute('POST', '/webhooks')).toBeUndefined();
    expect(matchRoute('PUT', '/webhooks')?.statusCode).toBe(403);
    expect(validateRequestParameters({ 'X-APIDECK-SIGNATURE': 'abc' })).toBeUndefined();
    expect(validateRequestParameters({ 'x-apideck-signature': '  ' })?.statusCode).toBe(401);
  });

  it("answers a missing signature header as the deployed API does: the handler's 401", () => {
    const handlerAnswer = toHttpResponse({ kind: 'signature-rejected', reason: 'missing' });
    for (const headers of [{}, { 'x-apideck-signature': '' }, { 'X-Apideck-Signature': ' ' }]) {
      expect(validateRequestParameters(headers)).toEqual({
        statusCode: 401,
        errorType: 'BadRequestException',
        headers: handlerAnswer.headers,
        body: handlerAnswer.body,
        reason: 'no x-apideck-signature header',
      });
    }
    expect(handlerAnswer.headers).toEqual({
      'content-type': 'application/json',
      'cache-control': 'no-store',
    });
  });

  it('signs what the receiver verifies; re-dates to today by default, renews ids with fresh', () => {
    const now = () => Date.parse('2026-11-27T15:30:00.000Z');
    const sample = loadSampleBytes(CREATED);
    const stable = createBodyFactory(sample, { key: 'k', fresh: false, keepTime: false, now });
    const fresh = createBodyFactory(sample, { key: 'k', fresh: true, keepTime: false, now });
    const kept = createBodyFactory(sample, { key: 'k', fresh: false, keepTime: true, now });
    const [a, b, c, d] = [stable.next(), stable.next(), fresh.next(), fresh.next()];
    const payloadOf = (body: Buffer) =>
      (JSON.parse(body.toString()) as { payload: Record<string, unknown> }).payload;

    for (const prepared of [a, c]) {
      const canonical = referenceCanonicalJson(JSON.parse(prepared.body.toString()));
      expect(prepared.signature).toBe(createHmac('sha256', 'k').update(canonical).digest('hex'));
    }
    expect(a.body.equals(b.body)).toBe(true);
    expect(payloadOf(a.body)).toMatchObject({
      event_id: CREATED_SAMPLE_ID,
      occurred_at: '2026-11-27T00:00:00.000Z',
    });
    expect(c.eventId).not.toBe(d.eventId);
    expect(payloadOf(c.body).occurred_at).toBe('2026-11-27T15:30:00.000Z');
    expect(kept.next().body.equals(sample)).toBe(true);
  });
});
