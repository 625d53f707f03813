/**
 * What the deployed REST API answers by itself, before the Lambda is invoked
 * (see `lib/receiver/webhook-api.ts`): only `POST /webhooks` exists, and its
 * request validator requires the signature header (`SIGNATURE_HEADER`). An unknown route
 * and a body over the limit get API Gateway's default gateway responses (their
 * `{"message":"…"}` bodies and `x-amzn-ErrorType` values); a missing signature
 * header gets the construct's customised `BAD_REQUEST_PARAMETERS` response,
 * which is the handler's own 401 for a wrong signature.
 */
import { SIGNATURE_HEADER, WEBHOOK_PATH } from '../../../lambda/contract/http.ts';
import { API_GATEWAY_MAX_BODY_BYTES } from '../../../lambda/contract/limits.ts';
import { toHttpResponse } from '../../../lambda/http/responses.ts';

/** The one resource and method of the API. */
export const WEBHOOK_RESOURCE = `/${WEBHOOK_PATH}`;
export const WEBHOOK_METHOD = 'POST';

/** An answer API Gateway gives without invoking the integration. */
export interface GatewayRefusal {
  readonly statusCode: number;
  /** `x-amzn-ErrorType`: API Gateway names the error type of customised gateway responses too. */
  readonly errorType: string;
  /** The gateway response's own headers (API Gateway adds its request id headers to every answer). */
  readonly headers: Readonly<Record<string, string>>;
  /** The default gateway response body `{"message":"…"}`, or the customised response's template. */
  readonly body: string;
  /** Short reason for the dev server's log line. */
  readonly reason: string;
}

/** A default gateway response: API Gateway's `{"message":"…"}` as JSON. */
export function defaultGatewayResponse(
  statusCode: number,
  errorType: string,
  message: string,
  reason: string,
): GatewayRefusal {
  return {
    statusCode,
    errorType,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message }),
    reason,
  };
}

/**
 * The `BAD_REQUEST_PARAMETERS` gateway response of a request without the
 * signature header: the construct answers it with the handler's 401 for a
 * wrong signature (status, body, `content-type` and `cache-control`), so a
 * caller cannot tell a missing signature from a wrong one. Built from the
 * handler's own answer, so the stand-in cannot drift from it.
 */
function missingSignature(): GatewayRefusal {
  const answer = toHttpResponse({ kind: 'signature-rejected', reason: 'missing' });
  return {
    statusCode: answer.statusCode,
    errorType: 'BadRequestException',
    headers: Object.fromEntries(
      Object.entries(answer.headers ?? {}).map(([name, value]) => [name, String(value)]),
    ),
    body: answer.body,
    reason: `no ${SIGNATURE_HEADER} header`,
  };
}

/**
 * Resource and method matching. A REST API answers 403 "Missing Authentication
 * Token" (not 404 or 405) to every path or method it does not define.
 */
export function matchRoute(method: string, path: string): GatewayRefusal | undefined {
  if (method === WEBHOOK_METHOD && path === WEBHOOK_RESOURCE) return undefined;
  return defaultGatewayResponse(
    403,
    'MissingAuthenticationTokenException',
    'Missing Authentication Token',
    `no method ${method} ${path}`,
  );
}

/** The payload limit, checked on the bytes received so far. */
export function checkSize(receivedBytes: number): GatewayRefusal | undefined {
  if (receivedBytes <= API_GATEWAY_MAX_BODY_BYTES) return undefined;
  return defaultGatewayResponse(
    413,
    'RequestTooLargeException',
    'Request Too Long',
    'body over 10 MB',
  );
}

/**
 * The request validator (`validateRequestParameters: true`): the signature
 * header (`method.request.header.…: true`) must be present and not blank,
 * whatever its name's case. Without it, the answer is the construct's gateway
 * response (401, the handler's body).
 */
export function validateRequestParameters(
  headers: Readonly<Record<string, string | undefined>>,
): GatewayRefusal | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === SIGNATURE_HEADER && value !== undefined && value.trim() !== '') {
      return undefined;
    }
  }
  return missingSignature();
}
