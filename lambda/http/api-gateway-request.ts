import type { APIGatewayProxyEvent } from 'aws-lambda';
import { SIGNATURE_HEADER } from '../contract/http.ts';

/** The parts of an API Gateway proxy request the receiver reads. */
export interface DecodedRequest {
  readonly body: Buffer;
  readonly signature: string | undefined;
}

/** Header names are case-insensitive and API Gateway may pass any casing, in either map. */
function findHeader(event: APIGatewayProxyEvent, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  for (const [key, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (key.toLowerCase() === name && Array.isArray(values) && typeof values[0] === 'string') {
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
