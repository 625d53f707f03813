/**
 * The two kinds of API Gateway the receiver can stand behind, as the stand-in
 * plays them: what each answers by itself (an undefined route, a body over its
 * limit, a missing signature header, a failed invocation), the event it hands
 * the function, and the request id headers of its answers.
 *
 * - `rest`: the REST API (`lib/receiver/webhook-api.ts`), payload format 1.0,
 *   with the request validator and the construct's gateway responses.
 * - `http`: the HTTP API, payload format 2.0. It has no request validator and
 *   no customisable gateway responses: a request without the signature header
 *   reaches the function, which gives the same 401 as the REST API's gateway
 *   response; an undefined route is its 404, an oversized body its own 413.
 */
import { randomBytes } from 'node:crypto';
import { API_GATEWAY_MAX_BODY_BYTES } from '../../../lambda/contract/limits.ts';
import type { ApiGatewayEvent } from '../../../lambda/http/api-gateway-request.ts';
import {
  type ApiGatewayEventOptions,
  type IncomingRequestLike,
  toApiGatewayEvent,
} from './event.ts';
import { toHttpApiEvent } from './http-api-event.ts';
import {
  checkSize,
  defaultGatewayResponse,
  type GatewayRefusal,
  matchRoute,
  validateRequestParameters,
  WEBHOOK_METHOD,
  WEBHOOK_RESOURCE,
} from './validator.ts';

/** The kinds of API, as `API_KIND` and `--api-kind` name them. */
export const API_KIND_NAMES = ['rest', 'http'] as const;
export type ApiKindName = (typeof API_KIND_NAMES)[number];

/** Reads `API_KIND` (or an option's value): `rest` (the default) or `http`. */
export function parseApiKind(value: string | undefined, source = 'API_KIND'): ApiKindName {
  const given = (value ?? '').trim().toLowerCase();
  if (given === '') return 'rest';
  if ((API_KIND_NAMES as readonly string[]).includes(given)) return given as ApiKindName;
  throw new Error(`${source} must be ${API_KIND_NAMES.join(' or ')}, not "${value}"`);
}

/** One kind of API, as the stand-in plays it. */
export interface GatewayKind {
  readonly name: ApiKindName;
  /** Its answer to a method or path it does not define. */
  matchRoute(method: string, path: string): GatewayRefusal | undefined;
  /** Its answer to a body over its payload limit, checked on the bytes received so far. */
  checkSize(receivedBytes: number): GatewayRefusal | undefined;
  /** Its answer to an event it does not pass on (the REST API's request validator). */
  validate(event: ApiGatewayEvent): GatewayRefusal | undefined;
  /** Its answer when the invocation throws, times out or returns a malformed result. */
  readonly integrationFailed: GatewayRefusal;
  toEvent(
    request: IncomingRequestLike,
    body: Buffer,
    options: ApiGatewayEventOptions,
  ): ApiGatewayEvent;
  /** The request id headers it adds to every answer. */
  requestIdHeaders(requestId: string): Record<string, string>;
  /** The X-Ray trace header it added to the event, echoed on the answer. */
  traceHeader(event: ApiGatewayEvent): string | undefined;
}

const REST: GatewayKind = {
  name: 'rest',
  matchRoute,
  checkSize,
  validate: (event) => validateRequestParameters(event.headers),
  integrationFailed: defaultGatewayResponse(
    502,
    'InternalServerErrorException',
    'Internal server error',
    'the integration failed',
  ),
  toEvent: toApiGatewayEvent,
  requestIdHeaders: (requestId) => ({
    'x-amzn-RequestId': requestId,
    'x-amz-apigw-id': randomBytes(8).toString('base64url'),
  }),
  traceHeader: (event) => event.headers['X-Amzn-Trace-Id'],
};

/** An HTTP API's own error answer: `{"message":"…"}`, no error type header. */
function httpApiResponse(statusCode: number, message: string, reason: string): GatewayRefusal {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message }),
    reason,
  };
}

const HTTP: GatewayKind = {
  name: 'http',
  matchRoute: (method, path) =>
    method === WEBHOOK_METHOD && path === WEBHOOK_RESOURCE
      ? undefined
      : httpApiResponse(404, 'Not Found', `no route ${method} ${path}`),
  checkSize: (receivedBytes) =>
    receivedBytes <= API_GATEWAY_MAX_BODY_BYTES
      ? undefined
      : httpApiResponse(413, 'Request Entity Too Large', 'body over 10 MB'),
  validate: () => undefined,
  integrationFailed: httpApiResponse(500, 'Internal Server Error', 'the integration failed'),
  toEvent: toHttpApiEvent,
  requestIdHeaders: (requestId) => ({ 'apigw-requestid': requestId }),
  traceHeader: (event) => event.headers['x-amzn-trace-id'],
};

/** The stand-in's behaviour for a kind of API. */
export function gatewayKind(name: ApiKindName): GatewayKind {
  return name === 'http' ? HTTP : REST;
}
