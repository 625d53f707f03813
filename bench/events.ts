/**
 * Signed deliveries for the bench: the sample `vault.connection.created` event
 * (`test/fixtures/apideck/events`), each with a new `event_id` and
 * `occurred_at` now, pretty-printed as Apideck puts it on the wire and signed as
 * Apideck signs it (HMAC-SHA256, hex, over the canonical form), wrapped in an
 * API Gateway REST (v1) proxy event with the headers API Gateway passes on.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { SIGNATURE_HEADER } from '../lambda/contract/http.ts';
import { signBody } from '../lambda/domain/signature.ts';
import type { ApiGatewayHandler } from '../lambda/http/api-gateway-handler.ts';
import { apiGatewayEvent, traceId } from '../tools/emulator/api-gateway/event.ts';
import { BENCH_EVENT_TYPE } from './environment.ts';

/** The bench's (fake) signing key: what the stubbed or emulated secret holds. */
export const BENCH_SIGNING_KEY = 'sk_bench_apideck_example_key_0123456789';

const SAMPLE = join(
  import.meta.dirname,
  '../test/fixtures/apideck/events',
  `${BENCH_EVENT_TYPE}.json`,
);

function samplePayload(): Record<string, unknown> {
  const parsed = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { payload?: unknown };
  if (typeof parsed.payload !== 'object' || parsed.payload === null) {
    throw new TypeError(`${SAMPLE} is not a {"payload": {...}} body`);
  }
  return parsed.payload as Record<string, unknown>;
}

/** Makes fresh signed API Gateway events, one per call. */
export function signedEvents(): () => APIGatewayProxyEvent {
  const payload = samplePayload();
  return () => {
    const fresh = { ...payload, event_id: randomUUID(), occurred_at: new Date().toISOString() };
    const body = `${JSON.stringify({ payload: fresh }, null, 2)}\n`;
    const headers: Record<string, string> = {
      Accept: '*/*',
      'Content-Type': 'application/json',
      Host: 'abcdef1234.execute-api.eu-west-1.amazonaws.com',
      'User-Agent': 'Apideck-Webhooks',
      'X-Amzn-Trace-Id': traceId(Date.now()),
      'X-Forwarded-For': '203.0.113.10',
      'X-Forwarded-Port': '443',
      'X-Forwarded-Proto': 'https',
      [SIGNATURE_HEADER]: signBody(body, BENCH_SIGNING_KEY),
    };
    return apiGatewayEvent({
      body,
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      requestContext: { requestId: randomUUID() },
    });
  };
}

/** `count` fresh signed events, made before a timed loop so that signing is not timed. */
export function signedEventBatch(count: number): APIGatewayProxyEvent[] {
  return Array.from({ length: count }, signedEvents());
}

/** A Lambda context with a new request id and 9 s left (the function's timeout is 10 s). */
export function lambdaContext(): Parameters<ApiGatewayHandler>[1] {
  return { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 9_000 };
}
