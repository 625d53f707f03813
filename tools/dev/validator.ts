/**
 * What the deployed REST API answers by itself, before the Lambda is invoked
 * (see `lib/receiver/webhook-api.ts`): only `POST /webhooks` exists, and its
 * request validator requires the `x-apideck-signature` header. The bodies and
 * `x-amzn-ErrorType` values are API Gateway's default gateway responses.
 */

/** The one resource and method of the API. */
export const WEBHOOK_RESOURCE = '/webhooks';
export const WEBHOOK_METHOD = 'POST';

/** The header the method's request validator requires (`method.request.header.…: true`). */
export const REQUIRED_HEADER = 'x-apideck-signature';

/** API Gateway's payload limit (10 MB); larger requests never reach the integration. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** An answer API Gateway gives without invoking the integration. */
export interface GatewayRefusal {
  readonly statusCode: number;
  /** `x-amzn-ErrorType` */
  readonly errorType: string;
  /** The default gateway response body: `{"message":"…"}`. */
  readonly body: string;
  /** Short reason for the dev server's log line. */
  readonly reason: string;
}

function refusal(statusCode: number, errorType: string, message: string, reason: string) {
  return { statusCode, errorType, body: JSON.stringify({ message }), reason };
}

/**
 * Resource and method matching. A REST API answers 403 "Missing Authentication
 * Token" (not 404 or 405) to every path or method it does not define.
 */
export function matchRoute(method: string, path: string): GatewayRefusal | undefined {
  if (method === WEBHOOK_METHOD && path === WEBHOOK_RESOURCE) return undefined;
  return refusal(
    403,
    'MissingAuthenticationTokenException',
    'Missing Authentication Token',
    `no method ${method} ${path}`,
  );
}

/** The payload limit, checked on the bytes received so far. */
export function checkSize(receivedBytes: number): GatewayRefusal | undefined {
  if (receivedBytes <= MAX_REQUEST_BYTES) return undefined;
  return refusal(413, 'RequestTooLargeException', 'Request Too Long', 'body over 10 MB');
}

/**
 * The request validator (`validateRequestParameters: true`): a required header
 * must be present and not blank, whatever its name's case.
 */
export function validateRequestParameters(
  headers: Readonly<Record<string, string | undefined>>,
): GatewayRefusal | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === REQUIRED_HEADER && value !== undefined && value.trim() !== '') {
      return undefined;
    }
  }
  return refusal(
    400,
    'BadRequestException',
    `Missing required request parameters: [${REQUIRED_HEADER}]`,
    `no ${REQUIRED_HEADER} header`,
  );
}
