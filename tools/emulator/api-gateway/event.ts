/**
 * Turns a local HTTP request into the event the deployed REST API (Lambda proxy
 * integration, payload format 1.0) hands the receiver: what API Gateway passes
 * through from the client and what it adds itself.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { WEBHOOK_METHOD, WEBHOOK_RESOURCE } from './validator.ts';

/** The parts of a Node `IncomingMessage` the event is made from. */
export type IncomingRequestLike = Pick<IncomingMessage, 'method' | 'url' | 'httpVersion'> & {
  /** Header names as the client spelled them, and every value, in order. */
  readonly rawHeaders: readonly string[];
  readonly socket: Pick<Socket, 'remoteAddress' | 'localPort'>;
};

/** Facts of the invocation that do not come from the request. */
export interface ApiGatewayEventOptions {
  readonly requestId: string;
  readonly receivedAtMs: number;
  /**
   * The REST API's binary media types. The construct declares none, so API
   * Gateway passes every body as a (UTF-8) string with `isBase64Encoded: false`;
   * a request whose content type matched one would be passed base64-encoded.
   */
  readonly binaryMediaTypes?: readonly string[];
}

/** moto's default account, the one every emulated ARN carries. */
const DEV_ACCOUNT_ID = '123456789012';

/**
 * Value maps as API Gateway builds them for headers and query strings: `single`
 * holds the last value of each name, `multi` all of them, in order. Names that
 * `key` makes equal are one name, spelled as first seen.
 */
function valueMaps(
  pairs: Iterable<readonly [string, string]>,
  key: (name: string) => string = (name) => name,
): { single: Record<string, string>; multi: Record<string, string[]> } {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  const spelling = new Map<string, string>();
  for (const [given, value] of pairs) {
    const name = spelling.get(key(given)) ?? given;
    spelling.set(key(given), name);
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  return { single, multi };
}

/** Whether a `Content-Type` matches one of the binary media types (`*\/*`, `type/*` or exact). */
function isBinaryMediaType(
  contentType: string | undefined,
  binaryMediaTypes: readonly string[],
): boolean {
  if (binaryMediaTypes.length === 0) return false;
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return binaryMediaTypes.some((pattern) => {
    const wanted = pattern.toLowerCase();
    if (wanted === '*/*') return true;
    if (wanted.endsWith('/*')) return mediaType.startsWith(wanted.slice(0, -1));
    return mediaType === wanted;
  });
}

/** The request-context time format: `27/Nov/2026:05:55:40 +0000` (from `Fri, 27 Nov 2026 05:55:40 GMT`). */
export function requestTime(epochMs: number): string {
  const [, day, month, year, time] = new Date(epochMs).toUTCString().split(' ');
  return `${day}/${month}/${year}:${time} +0000`;
}

/** An X-Ray trace header, as API Gateway adds it: `Root=1-<epoch s, hex>-<96 random bits>`. */
export function traceId(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000).toString(16);
  return `Root=1-${seconds}-${randomBytes(12).toString('hex')}`;
}

/** The fields of a proxy event that vary; everything else is what API Gateway sends for `POST /webhooks`. */
export interface ApiGatewayEventFields {
  readonly body?: string | null;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly multiValueHeaders?: Readonly<Record<string, string[] | undefined>>;
  readonly isBase64Encoded?: boolean;
  readonly httpMethod?: string;
  readonly path?: string;
  readonly queryStringParameters?: Record<string, string> | null;
  readonly multiValueQueryStringParameters?: Record<string, string[]> | null;
  /** Merged over the deployed stage's context (account, API id, stage `prod`, anonymous identity). */
  readonly requestContext?: Partial<APIGatewayProxyEvent['requestContext']>;
}

/**
 * An API Gateway REST (v1) proxy event for `POST /webhooks`, as the deployed
 * stage hands it to the function: the one builder of the unit tests, the dev
 * server and the bench.
 */
export function apiGatewayEvent(fields: ApiGatewayEventFields = {}): APIGatewayProxyEvent {
  const method = fields.httpMethod ?? WEBHOOK_METHOD;
  const path = fields.path ?? WEBHOOK_RESOURCE;
  return {
    resource: WEBHOOK_RESOURCE,
    path,
    httpMethod: method,
    headers: { ...fields.headers },
    multiValueHeaders: { ...fields.multiValueHeaders },
    queryStringParameters: fields.queryStringParameters ?? null,
    multiValueQueryStringParameters: fields.multiValueQueryStringParameters ?? null,
    pathParameters: null,
    stageVariables: null,
    body: fields.body ?? null,
    isBase64Encoded: fields.isBase64Encoded ?? false,
    requestContext: {
      accountId: DEV_ACCOUNT_ID,
      apiId: 'abcdef1234',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: anonymousIdentity('203.0.113.10', 'Apideck-Webhooks'),
      path: `/prod${path}`,
      stage: 'prod',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: Date.now(),
      resourceId: 'abc123',
      resourcePath: WEBHOOK_RESOURCE,
      ...fields.requestContext,
    },
  };
}

/**
 * The API Gateway REST (v1) proxy event for a request and its body bytes. An
 * empty body is `null`; otherwise the body is the UTF-8 text of the bytes, or
 * base64 with `isBase64Encoded: true` when the content type is a binary media type.
 */
export function toApiGatewayEvent(
  request: IncomingRequestLike,
  body: Buffer,
  options: ApiGatewayEventOptions,
): APIGatewayProxyEvent {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  const client: [string, string][] = [];
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    client.push([request.rawHeaders[index] ?? '', request.rawHeaders[index + 1] ?? '']);
  }
  const clientHeader = (name: string): string | undefined =>
    client.findLast(([given]) => given.toLowerCase() === name)?.[1];
  const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const forwardedFor = clientHeader('x-forwarded-for');
  const domainName = (clientHeader('host') ?? 'localhost').replace(/:\d+$/, '');
  // API Gateway's own headers replace any client value, under any spelling.
  const added: Record<string, string> = {
    'X-Forwarded-For': forwardedFor ? `${forwardedFor}, ${sourceIp}` : sourceIp,
    'X-Forwarded-Port': String(request.socket.localPort ?? ''),
    'X-Forwarded-Proto': 'http',
    'X-Amzn-Trace-Id': traceId(options.receivedAtMs),
  };
  const replaced = new Set(Object.keys(added).map((name) => name.toLowerCase()));
  const headers = valueMaps(
    [...client.filter(([name]) => !replaced.has(name.toLowerCase())), ...Object.entries(added)],
    (name) => name.toLowerCase(),
  );
  const binary = isBinaryMediaType(clientHeader('content-type'), options.binaryMediaTypes ?? []);
  const query = valueMaps(url.searchParams);
  const hasQuery = Object.keys(query.single).length > 0;
  return apiGatewayEvent({
    path: url.pathname,
    httpMethod: method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: hasQuery ? query.single : null,
    multiValueQueryStringParameters: hasQuery ? query.multi : null,
    body: body.length === 0 ? null : body.toString(binary ? 'base64' : 'utf8'),
    isBase64Encoded: binary && body.length > 0,
    requestContext: {
      apiId: 'devlocal01',
      authorizer: undefined,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      extendedRequestId: randomBytes(8).toString('base64url'),
      identity: anonymousIdentity(sourceIp, clientHeader('user-agent') ?? null),
      path: url.pathname,
      protocol: `HTTP/${request.httpVersion}`,
      requestId: options.requestId,
      requestTime: requestTime(options.receivedAtMs),
      requestTimeEpoch: options.receivedAtMs,
      resourceId: 'dev001',
      // The deployed stage is `prod`.
      stage: 'local',
    },
  });
}

/**
 * The `requestContext.identity` API Gateway sends for an unauthenticated
 * caller (no IAM, Cognito or API key): only the source IP and user agent.
 */
export function anonymousIdentity(
  sourceIp: string,
  userAgent: string | null,
): APIGatewayProxyEvent['requestContext']['identity'] {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: null,
    userAgent,
    userArn: null,
  };
}
