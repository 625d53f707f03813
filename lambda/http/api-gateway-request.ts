import type { APIGatewayProxyEvent } from 'aws-lambda';
import { SIGNATURE_HEADER } from '../contract/http.ts';

/** The parts of an API Gateway proxy request the receiver reads. */
export interface DecodedRequest {
  readonly body: Buffer;
  readonly signature: string | undefined;
}

/**
 * Whether header `key` is `name` (lower case) in any casing. The length check
 * spares most keys a lower-cased copy; it cannot skip a match, since only İ
 * changes length when lower-cased, and into no ASCII name.
 */
function isHeader(key: string, name: string): boolean {
  return key.length === name.length && key.toLowerCase() === name;
}

/** Header names are case-insensitive and API Gateway may pass any casing, in either map. */
function findHeader(event: APIGatewayProxyEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (isHeader(key, name) && typeof value === 'string') return value;
  }
  const multiValueHeaders = event.multiValueHeaders ?? {};
  for (const key of Object.keys(multiValueHeaders)) {
    const values = multiValueHeaders[key];
    if (isHeader(key, name) && Array.isArray(values) && typeof values[0] === 'string') {
      return values[0];
    }
  }
  return undefined;
}

/**
 * Decodes an API Gateway REST (v1) proxy event into the body bytes as sent
 * (base64-decoded when API Gateway says so) and the signature header.
 */
export function decodeApiGatewayRequest(event: APIGatewayProxyEvent): DecodedRequest {
  const body = event.body ?? '';
  return {
    body: Buffer.from(body, event.isBase64Encoded ? 'base64' : 'utf8'),
    signature: findHeader(event, SIGNATURE_HEADER),
  };
}
