/**
 * Turns a local HTTP request into the event an API Gateway HTTP API (Lambda
 * proxy integration, payload format 2.0, stage `$default`) hands the receiver:
 * header names lower-cased, a repeated header's values joined with commas,
 * cookies in their own list, and the body base64-encoded unless its content
 * type is text (HTTP APIs have no binary media types: they infer it).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ApiGatewayEventOptions, IncomingRequestLike } from './event.ts';
import { requestTime, traceId } from './event.ts';
import { WEBHOOK_METHOD, WEBHOOK_RESOURCE } from './validator.ts';

/** moto's default account, the one every emulated ARN carries. */
const DEV_ACCOUNT_ID = '123456789012';

/** The route of the receiver's one integration. */
export const WEBHOOK_ROUTE_KEY = `${WEBHOOK_METHOD} ${WEBHOOK_RESOURCE}`;

/** The fields of a 2.0 event that vary; everything else is what the HTTP API sends for `POST /webhooks`. */
export interface HttpApiEventFields {
  readonly body?: string;
  /** Lower-case names, as the HTTP API passes them. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly isBase64Encoded?: boolean;
  readonly method?: string;
  readonly path?: string;
  readonly rawQueryString?: string;
  readonly queryStringParameters?: Record<string, string>;
  readonly cookies?: string[];
  readonly requestId?: string;
  readonly timeEpoch?: number;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  readonly domainName?: string;
}

/**
 * An API Gateway HTTP API (payload format 2.0) event for `POST /webhooks`, as
 * the deployed `$default` stage hands it to the function: the one builder of
 * the unit tests and the dev server's HTTP API mode.
 */
export function httpApiEvent(fields: HttpApiEventFields = {}): APIGatewayProxyEventV2 {
  const method = fields.method ?? WEBHOOK_METHOD;
  const path = fields.path ?? WEBHOOK_RESOURCE;
  const timeEpoch = fields.timeEpoch ?? Date.now();
  const domainName = fields.domainName ?? 'abcdef1234.execute-api.us-east-1.amazonaws.com';
  return {
    version: '2.0',
    routeKey: WEBHOOK_ROUTE_KEY,
    rawPath: path,
    rawQueryString: fields.rawQueryString ?? '',
    ...(fields.cookies && { cookies: fields.cookies }),
    headers: { ...fields.headers },
    ...(fields.queryStringParameters && { queryStringParameters: fields.queryStringParameters }),
    requestContext: {
      accountId: DEV_ACCOUNT_ID,
      apiId: 'abcdef1234',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: fields.sourceIp ?? '203.0.113.10',
        userAgent: fields.userAgent ?? 'Apideck-Webhooks',
      },
      requestId: fields.requestId ?? 'JKJaXmPLvHcESHA=',
      routeKey: WEBHOOK_ROUTE_KEY,
      stage: '$default',
      time: requestTime(timeEpoch),
      timeEpoch,
    },
    ...(fields.body !== undefined && { body: fields.body }),
    isBase64Encoded: fields.isBase64Encoded ?? false,
  };
}

/**
 * Whether an HTTP API passes a body of this content type as text: `text/*`,
 * JSON, XML and JavaScript types. Anything else, and a missing content type,
 * is passed base64-encoded.
 */
export function isTextContentType(contentType: string | undefined): boolean {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === '') return false;
  return (
    mediaType.startsWith('text/') ||
    /^application\/(?:[\w.+-]+\+)?(?:json|xml)$/.test(mediaType) ||
    mediaType === 'application/javascript'
  );
}

/**
 * The HTTP API (2.0) event for a request and its body bytes. No body means no
 * `body` field; a text body is its UTF-8 text, any other body base64 with
 * `isBase64Encoded: true`.
 */
export function toHttpApiEvent(
  request: IncomingRequestLike,
  body: Buffer,
  options: Pick<ApiGatewayEventOptions, 'requestId' | 'receivedAtMs'>,
): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    const name = (request.rawHeaders[index] ?? '').toLowerCase();
    const value = request.rawHeaders[index + 1] ?? '';
    if (name === 'cookie') cookies.push(...value.split(/;\s*/).filter(Boolean));
    else headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const forwardedFor = headers['x-forwarded-for'];
  // The HTTP API's own headers replace any client value.
  Object.assign(headers, {
    'x-forwarded-for': forwardedFor ? `${forwardedFor}, ${sourceIp}` : sourceIp,
    'x-forwarded-port': String(request.socket.localPort ?? ''),
    'x-forwarded-proto': 'http',
    'x-amzn-trace-id': traceId(options.receivedAtMs),
  });
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  }
  const text = isTextContentType(headers['content-type']);
  const domainName = (headers.host ?? 'localhost').replace(/:\d+$/, '');
  return httpApiEvent({
    ...(body.length > 0 && { body: body.toString(text ? 'utf8' : 'base64') }),
    isBase64Encoded: body.length > 0 && !text,
    headers,
    method: request.method ?? 'GET',
    path: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    ...(cookies.length > 0 && { cookies }),
    requestId: options.requestId,
    timeEpoch: options.receivedAtMs,
    sourceIp,
    userAgent: headers['user-agent'] ?? '',
    domainName,
  });
}
