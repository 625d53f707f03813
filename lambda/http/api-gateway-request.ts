import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { SIGNATURE_HEADER } from '../contract/http.ts';

/**
 * What API Gateway hands the function: a REST API's proxy event (payload
 * format 1.0) or an HTTP API's (payload format 2.0). Both carry the body, its
 * base64 flag, the headers and `requestContext.requestId` under the same names;
 * only 1.0 has `multiValueHeaders`, and 2.0 lower-cases header names and joins
 * a repeated header's values with commas.
 */
export type ApiGatewayEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

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
function findHeader(event: ApiGatewayEvent, name: string): string | undefined {
  const headers: Readonly<Record<string, string | undefined>> = event.headers ?? {};
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (isHeader(key, name) && typeof value === 'string') return value;
  }
  const multiValueHeaders: Readonly<Record<string, readonly unknown[] | undefined>> =
    ('multiValueHeaders' in event ? event.multiValueHeaders : undefined) ?? {};
  for (const key of Object.keys(multiValueHeaders)) {
    const values = multiValueHeaders[key];
    if (isHeader(key, name) && Array.isArray(values) && typeof values[0] === 'string') {
      return values[0];
    }
  }
  return undefined;
}

/**
 * Decodes either payload format into the body bytes as sent (base64-decoded
 * when API Gateway says so) and the signature header. One step for both: the
 * receiver cannot tell which kind of API it stands behind.
 */
export function decodeApiGatewayRequest(event: ApiGatewayEvent): DecodedRequest {
  const body = event.body ?? '';
  return {
    body: Buffer.from(body, event.isBase64Encoded ? 'base64' : 'utf8'),
    signature: findHeader(event, SIGNATURE_HEADER),
  };
}
