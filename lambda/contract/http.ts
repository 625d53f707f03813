/**
 * HTTP names and answer bodies shared by the handler and the construct: the
 * construct answers some requests before they reach the Lambda (a missing
 * signature header at the gateway, an oversized body at the WAF), and those
 * answers must be the handler's, byte for byte.
 */

/** The header Apideck signs every delivery with (HMAC-SHA256 of the body, base64). */
export const SIGNATURE_HEADER = 'x-apideck-signature';

/** Path segment of the webhook resource: deliveries are `POST /webhooks`. */
export const WEBHOOK_PATH = 'webhooks';

/** Body of the 401 for a missing or wrong signature (handler and gateway response alike). */
export const UNAUTHORIZED_BODY = {
  status: 'unauthorized',
  reason: `missing or invalid ${SIGNATURE_HEADER}`,
} as const;

/** Body of the 413 for a request body over `limitBytes`, before the event is read. */
export function bodyTooLargeBody(limitBytes: number): {
  readonly status: 'too_large';
  readonly reason: string;
  readonly limit_bytes: number;
} {
  return { status: 'too_large', reason: 'body too large', limit_bytes: limitBytes };
}
