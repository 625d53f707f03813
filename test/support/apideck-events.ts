/**
 * Fixture builders for Apideck deliveries: the sample Vault events as on the
 * wire, events with overrides, signatures made with the shared vector's key
 * (over the reference canonical form, never the receiver's own serialiser),
 * API Gateway proxy events (REST API 1.0, HTTP API 2.0) and a fake Lambda context.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { VaultConnectionEventType } from '../../lambda/contract/event-catalogue.ts';
import { isJsonObject } from '../../lambda/domain/json-body.ts';
import { apiGatewayEvent as buildApiGatewayEvent } from '../../tools/emulator/api-gateway/event.ts';
import {
  httpApiEvent as buildHttpApiEvent,
  type HttpApiEventFields,
} from '../../tools/emulator/api-gateway/http-api-event.ts';
import { referenceCanonicalJson } from './canonical-reference.ts';

/** `test/fixtures/apideck`, resolved from this file (never from the working directory). */
export const APIDECK_FIXTURES_DIR = join(import.meta.dirname, '..', 'fixtures', 'apideck');

/** The shared signing vector (`signing-vector.json`). */
export interface SigningVector {
  readonly key: string;
  readonly body_file: string;
  readonly canonical_message: string;
  readonly hmac_sha256_hex_of_canonical: string;
  readonly hmac_sha256_hex_of_raw_file_bytes: string;
}

function stringField(source: Record<string, unknown>, name: string): string {
  const value = source[name];
  if (typeof value !== 'string') throw new TypeError(`signing vector: ${name} must be a string`);
  return value;
}

/** Reads and checks the shape of the shared signing vector. */
export function loadSigningVector(): SigningVector {
  const parsed: unknown = JSON.parse(
    readFileSync(join(APIDECK_FIXTURES_DIR, 'signing-vector.json'), 'utf8'),
  );
  if (!isJsonObject(parsed)) throw new TypeError('signing vector must be an object');
  return {
    key: stringField(parsed, 'key'),
    body_file: stringField(parsed, 'body_file'),
    canonical_message: stringField(parsed, 'canonical_message'),
    hmac_sha256_hex_of_canonical: stringField(parsed, 'hmac_sha256_hex_of_canonical'),
    hmac_sha256_hex_of_raw_file_bytes: stringField(parsed, 'hmac_sha256_hex_of_raw_file_bytes'),
  };
}

/** The vector's (fake) API key: the default signing key of every builder here. */
export const VECTOR_KEY = loadSigningVector().key;

/** A webhook body: `{"payload": {...}}`. */
export interface EventBody {
  payload: Record<string, unknown>;
  [extra: string]: unknown;
}

/** The default sample: the event the signing vector was made from. */
export const DEFAULT_EVENT_TYPE: VaultConnectionEventType = 'vault.connection.created';

/** A moment after every sample event's `occurred_at` (12:00–12:11 that day), well inside any window. */
export const SAMPLE_RECEIVED_AT_MS = Date.parse('2026-11-26T12:30:00.000Z');

/** The bytes of a sample event file exactly as stored (pretty-printed, keys unsorted). */
export function loadEventBytes(type: VaultConnectionEventType = DEFAULT_EVENT_TYPE): Buffer {
  return readFileSync(join(APIDECK_FIXTURES_DIR, 'events', `${type}.json`));
}

/** The text of a sample event file exactly as stored. */
export function loadEventText(type: VaultConnectionEventType = DEFAULT_EVENT_TYPE): string {
  return loadEventBytes(type).toString('utf8');
}

/** A sample event, parsed (a fresh copy on every call). */
export function loadEvent(type: VaultConnectionEventType = DEFAULT_EVENT_TYPE): EventBody {
  const parsed: unknown = JSON.parse(loadEventText(type));
  if (!isJsonObject(parsed) || !isJsonObject(parsed.payload)) {
    throw new TypeError(`sample ${type} is not a {"payload": {...}} body`);
  }
  return { ...parsed, payload: parsed.payload };
}

/** What to change in a sample event. */
export interface EventOverrides {
  /** The sample to start from. */
  readonly type?: VaultConnectionEventType;
  /** Payload fields to set (replacing the sample's). */
  readonly payload?: Readonly<Record<string, unknown>>;
  /** Payload fields to remove. */
  readonly omit?: readonly string[];
}

/** A sample event with payload fields set or removed. */
export function buildEvent(overrides: EventOverrides = {}): EventBody {
  const body = loadEvent(overrides.type ?? DEFAULT_EVENT_TYPE);
  const payload: Record<string, unknown> = { ...body.payload, ...overrides.payload };
  for (const key of overrides.omit ?? []) delete payload[key];
  return { ...body, payload };
}

/** A unified-API event (`crm.contact.updated`): connection facts at the top of the payload. */
export function buildUnifiedEvent(payload: Readonly<Record<string, unknown>> = {}): EventBody {
  return {
    payload: {
      event_type: 'crm.contact.updated',
      event_id: '9755c355-56c3-4a2f-a2da-86ff4411fccb',
      unified_api: 'crm',
      service_id: 'hubspot',
      consumer_id: 'acme-user-42',
      entity_id: '12345',
      entity_type: 'contact',
      entity_url: 'https://unify.apideck.com/crm/contacts/12345',
      execution_attempt: 1,
      occurred_at: '2026-11-26T12:00:00.000Z',
      ...payload,
    },
  };
}

/** Which message an HMAC is computed over. */
export type SignedForm = 'canonical' | 'raw';

function asText(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
}

/**
 * The HMAC-SHA256 digest Apideck would send for a body: over the reference
 * canonical form of the parsed body, or over the raw bytes.
 */
export function signatureDigest(
  body: string | Uint8Array,
  key: string = VECTOR_KEY,
  form: SignedForm = 'canonical',
): Buffer {
  const message =
    form === 'canonical' ? referenceCanonicalJson(JSON.parse(asText(body))) : Buffer.from(body);
  return createHmac('sha256', key).update(message).digest();
}

/** {@link signatureDigest} as lower-case hex, the header's primary encoding. */
export function signHex(
  body: string | Uint8Array,
  key: string = VECTOR_KEY,
  form: SignedForm = 'canonical',
): string {
  return signatureDigest(body, key, form).toString('hex');
}

/** Serialises a body as Apideck puts it on the wire (pretty-printed, keys as given). */
export function wireText(body: unknown): string {
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** What goes into an API Gateway proxy event. */
export interface ApiGatewayEventOptions {
  readonly body?: string | null;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly multiValueHeaders?: Readonly<Record<string, string[] | undefined>>;
  readonly isBase64Encoded?: boolean;
}

/** An API Gateway REST (v1) proxy event for `POST /webhooks`, received just after the samples occurred. */
export function apiGatewayEvent(options: ApiGatewayEventOptions = {}): APIGatewayProxyEvent {
  return buildApiGatewayEvent({
    ...options,
    requestContext: { requestTimeEpoch: SAMPLE_RECEIVED_AT_MS },
  });
}

/**
 * An API Gateway HTTP API (2.0) event for `POST /webhooks`, received just after
 * the samples occurred. Header names as given (an HTTP API lower-cases them).
 */
export function httpApiEvent(
  options: Pick<HttpApiEventFields, 'body' | 'headers' | 'isBase64Encoded'> = {},
): APIGatewayProxyEventV2 {
  return buildHttpApiEvent({ ...options, timeEpoch: SAMPLE_RECEIVED_AT_MS });
}

/** An API Gateway event carrying `body` signed (canonical form, hex) with `key`. */
export function signedApiGatewayEvent(
  body: string,
  key: string = VECTOR_KEY,
  headerName = 'x-apideck-signature',
): APIGatewayProxyEvent {
  return apiGatewayEvent({
    body,
    headers: {
      'content-type': 'application/json',
      [headerName]: signHex(body, key),
    },
  });
}

/** What a fake Lambda context reports. */
export interface FakeContextOptions {
  readonly awsRequestId?: string;
  readonly remainingTimeMs?: number;
}

/** A Lambda context whose remaining time is fixed. */
export function fakeLambdaContext(options: FakeContextOptions = {}): Context {
  const remainingTimeMs = options.remainingTimeMs ?? 25_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'apideck-webhook-receiver',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:apideck-webhook-receiver',
    memoryLimitInMB: '256',
    awsRequestId: options.awsRequestId ?? '5f0c1e2a-0000-4000-8000-000000000001',
    logGroupName: '/aws/lambda/apideck-webhook-receiver',
    logStreamName: '2026/11/26/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => remainingTimeMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
