/**
 * The API key and the signatures never reach the logs. The real handler
 * (`lambda/handler.ts`, cold-started in this process) runs against the emulator
 * through the fault proxy with a known key and is driven through every outcome:
 * published, duplicate, ignored, invalid JSON and envelope, unauthorized
 * (missing, wrong key, garbage), too large (body and SNS message), outside the
 * replay window, payload conflict, in progress, unavailable (Secrets Manager,
 * DynamoDB, SNS, SNS with a failed release), published but not completed,
 * a malformed secret holding the key, and a misconfigured function. Then no
 * line it wrote, nor any answer, may contain the key or any 8 characters of it,
 * nor any 16 characters of a signature it was sent.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import { VAULT_CONNECTION_EVENT_TYPES } from '../../lambda/contract/event-catalogue.ts';
import { MAX_BODY_BYTES_LIMIT } from '../../lambda/contract/limits.ts';
import type { ApiGatewayHandler } from '../../lambda/http/api-gateway-handler.ts';
import { type FaultProxy, startFaultProxy } from '../../tools/emulator/fault-proxy.ts';
import {
  drainTap,
  type EmulatorTarget,
  provisionReceiver,
  type ReceiverResources,
  setSigningKeys,
} from '../../tools/emulator/index.ts';
import {
  apiGatewayEvent,
  buildEvent,
  type EventBody,
  fakeLambdaContext,
  signHex,
  wireText,
} from '../support/apideck-events.ts';
import { leakedFragments } from '../support/leaks.ts';

const KEY = `sk_live_${randomBytes(24).toString('hex')}`;
const OTHER_KEY = `sk_live_${randomBytes(24).toString('hex')}`;

const target: EmulatorTarget = {
  endpoint: inject('emulatorEndpoint'),
  region: inject('emulatorRegion'),
};
let resources: ReceiverResources;
let proxy: FaultProxy;
const lines: string[] = [];
const responses: APIGatewayProxyResult[] = [];
const signatures: string[] = [];

/** Sets the environment and imports the handler as a Lambda cold start does. */
async function coldStart(
  environment: Record<string, string | undefined>,
): Promise<ApiGatewayHandler> {
  for (const [name, value] of Object.entries(environment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  vi.resetModules();
  return ((await import('../../lambda/handler.ts')) as { handler: ApiGatewayHandler }).handler;
}

function fresh(overrides: Record<string, unknown> = {}): EventBody {
  return buildEvent({
    payload: { event_id: randomUUID(), occurred_at: new Date().toISOString(), ...overrides },
  });
}

/** An API Gateway event for `body` with exactly `signature` (none when undefined). */
function request(body: string, signature: string | undefined): APIGatewayProxyEvent {
  if (signature !== undefined) signatures.push(signature);
  return apiGatewayEvent({
    body,
    headers: {
      'content-type': 'application/json',
      ...(signature === undefined ? {} : { 'X-Apideck-Signature': signature }),
    },
  });
}

function signed(body: EventBody | string, key = KEY, form: 'canonical' | 'raw' = 'canonical') {
  const text = typeof body === 'string' ? body : wireText(body);
  return request(text, signHex(text, key, form));
}

async function call(handler: ApiGatewayHandler, event: APIGatewayProxyEvent): Promise<string> {
  const response = await handler(
    event,
    fakeLambdaContext({ awsRequestId: randomUUID(), remainingTimeMs: 5_000 }),
  );
  responses.push(response);
  const status = (JSON.parse(response.body) as { status?: unknown }).status;
  return `${response.statusCode} ${String(status)}`;
}

beforeAll(async () => {
  resources = await provisionReceiver({
    ...target,
    eventTypes: VAULT_CONNECTION_EVENT_TYPES,
    apiKeys: KEY,
    namePrefix: 'leaks',
  });
  proxy = await startFaultProxy({ target: target.endpoint });
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await proxy.close();
});

describe('secrets in the logs', () => {
  it('drives the handler through every outcome and never logs the key or a signature', async () => {
    const base = {
      ...resources.environment,
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_REGION: target.region,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      [ENVIRONMENT.maxBodyBytes]: undefined,
      [ENVIRONMENT.keyRefreshIntervalSeconds]: undefined,
    };
    const answers: string[] = [];
    const handler = await coldStart(base);

    const event = fresh();
    answers.push(await call(handler, signed(event)));
    answers.push(await call(handler, signed(event)));
    answers.push(
      await call(handler, signed({ payload: { ...event.payload, execution_attempt: 2 } })),
    );
    answers.push(
      await call(handler, signed({ payload: { ...event.payload, entity_id: 'other' } })),
    );
    answers.push(await call(handler, signed('{}')));
    answers.push(await call(handler, signed(`not json ${KEY}`, KEY, 'raw')));
    answers.push(await call(handler, signed(fresh({ event_id: 42 }))));
    answers.push(await call(handler, signed(fresh({ occurred_at: '1999-01-01T00:00:00.000Z' }))));
    answers.push(await call(handler, request(wireText(fresh()), undefined)));
    answers.push(await call(handler, signed(fresh(), OTHER_KEY)));
    answers.push(await call(handler, request(wireText(fresh()), `${KEY}`)));
    answers.push(await call(handler, request(wireText(fresh()), signHex(wireText(fresh()), KEY))));
    answers.push(await call(handler, signed(fresh({ blob: 'x'.repeat(300_000) }))));

    // 409: the first delivery's publish is held while a second one arrives.
    const held = fresh();
    const release = proxy.intercept((proxied) =>
      proxied.operation === 'Publish' ? { kind: 'forward', delayMs: 2_000 } : undefined,
    );
    const publishes = proxy.count({ operation: 'Publish' });
    const first = call(handler, signed(held));
    await vi.waitFor(
      () => expect(proxy.count({ operation: 'Publish' })).toBeGreaterThan(publishes),
      {
        timeout: 5_000,
      },
    );
    answers.push(await call(handler, signed(held)));
    answers.push(await first);
    release();

    proxy.fail('sns');
    answers.push(await call(handler, signed(fresh())));
    const releaseFails = proxy.intercept((proxied) =>
      proxied.operation === 'DeleteItem' ? { kind: 'unavailable' } : undefined,
    );
    answers.push(await call(handler, signed(fresh())));
    releaseFails();
    proxy.heal();
    proxy.fail('dynamodb', 'reset');
    answers.push(await call(handler, signed(fresh())));
    proxy.heal();
    const completionFails = proxy.intercept((proxied) =>
      proxied.operation === 'UpdateItem' ? { kind: 'unavailable' } : undefined,
    );
    answers.push(await call(handler, signed(fresh())));
    completionFails();

    // A new container: Secrets Manager down at its first request, then a body SNS cannot carry:
    // at the largest MAX_BODY_BYTES, the message attributes push it over SNS's limit.
    const large = await coldStart({
      ...base,
      [ENVIRONMENT.maxBodyBytes]: String(MAX_BODY_BYTES_LIMIT),
      [ENVIRONMENT.keyRefreshIntervalSeconds]: '1',
    });
    proxy.fail('secretsmanager');
    answers.push(await call(large, signed(fresh())));
    proxy.heal();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // Compact JSON, so that the published payload is nearly the whole body.
    const padding = MAX_BODY_BYTES_LIMIT - Buffer.byteLength(JSON.stringify(fresh({ blob: '' })));
    answers.push(await call(large, signed(JSON.stringify(fresh({ blob: 'x'.repeat(padding) })))));

    // A new container whose secret is a malformed array around the key.
    await setSigningKeys({
      ...target,
      secretId: resources.secretId,
      apiKeys: `["${KEY}", "${OTHER_KEY}`,
    });
    const malformed = await coldStart(base);
    answers.push(await call(malformed, signed(fresh())));
    await setSigningKeys({ ...target, secretId: resources.secretId, apiKeys: KEY });

    // A misconfigured container.
    const misconfigured = await coldStart({ ...base, [ENVIRONMENT.topicArns]: undefined });
    answers.push(await call(misconfigured, signed(fresh())));
    process.env[ENVIRONMENT.topicArns] = resources.environment[ENVIRONMENT.topicArns];
    const published = await drainTap({ ...target, queueUrl: resources.tapQueueUrl, waitMs: 500 });

    expect(answers).toEqual([
      '200 published',
      '200 duplicate',
      '200 duplicate',
      '422 payload_conflict',
      '200 ignored',
      '400 invalid_json',
      '400 invalid_envelope',
      '422 outside_replay_window',
      '401 unauthorized',
      '401 unauthorized',
      '401 unauthorized',
      '401 unauthorized',
      '413 too_large',
      '409 in_progress',
      '200 published',
      '503 unavailable',
      '503 unavailable',
      '503 unavailable',
      '200 published',
      '503 unavailable',
      '413 too_large',
      '503 unavailable',
      '500 error',
    ]);
    const outcomes = new Set(
      lines
        .map((line) => (JSON.parse(line) as { outcome?: unknown }).outcome)
        .filter((outcome) => typeof outcome === 'string'),
    );
    expect([...outcomes].sort()).toEqual(
      [
        'duplicate',
        'ignored',
        'in-progress',
        'invalid',
        'misconfigured',
        'payload-conflict',
        'published',
        'replay-refused',
        'signature-rejected',
        'too-large',
        'unavailable',
      ].sort(),
    );
    expect(published).toHaveLength(3);
    expect(lines.some((line) => line.includes('"completed":false'))).toBe(true);
    expect(lines.some((line) => line.includes('"release_failed":true'))).toBe(true);

    const written = [...lines, ...responses.map((response) => response.body)].join('\n');
    expect(written).not.toContain(KEY);
    expect(leakedFragments(written, KEY, 8)).toEqual([]);
    expect(leakedFragments(written, OTHER_KEY, 8)).toEqual([]);
    for (const signature of signatures) {
      expect(leakedFragments(written, signature, 16), signature).toEqual([]);
    }
  });
});
