import { describe, expect, it } from 'vitest';
import { decodeApiGatewayRequest } from '../../../lambda/http/api-gateway-request.ts';
import { apiGatewayEvent, httpApiEvent, loadEventBytes } from '../../support/apideck-events.ts';

const SIGNATURE = 'ae0fb404e578c48cebaaef21d4d3fa7df128fd21b3eca8cd240eaccc963da8fc';

describe('decodeApiGatewayRequest', () => {
  describe('signature header', () => {
    it.each([
      'x-apideck-signature',
      'X-Apideck-Signature',
      'X-APIDECK-SIGNATURE',
      'x-ApiDeck-sIgnature',
    ])('finds %s in headers, whatever the casing', (name) => {
      const event = apiGatewayEvent({ body: '{}', headers: { [name]: SIGNATURE } });
      expect(decodeApiGatewayRequest(event).signature).toBe(SIGNATURE);
    });

    it.each(['x-apideck-signature', 'X-Apideck-Signature'])(
      'finds %s in multiValueHeaders when headers lack it',
      (name) => {
        const event = apiGatewayEvent({ body: '{}', multiValueHeaders: { [name]: [SIGNATURE] } });
        expect(decodeApiGatewayRequest(event).signature).toBe(SIGNATURE);
      },
    );

    it('takes the first of several values in multiValueHeaders', () => {
      const event = apiGatewayEvent({
        body: '{}',
        multiValueHeaders: { 'X-Apideck-Signature': [SIGNATURE, 'second'] },
      });
      expect(decodeApiGatewayRequest(event).signature).toBe(SIGNATURE);
    });

    it('prefers headers over multiValueHeaders', () => {
      const event = apiGatewayEvent({
        body: '{}',
        headers: { 'X-Apideck-Signature': SIGNATURE },
        multiValueHeaders: { 'x-apideck-signature': ['other'] },
      });
      expect(decodeApiGatewayRequest(event).signature).toBe(SIGNATURE);
    });

    it('is undefined when neither map has it', () => {
      const event = apiGatewayEvent({
        body: '{}',
        headers: { 'content-type': 'application/json', 'x-apideck-event-type': 'x' },
        multiValueHeaders: { 'content-type': ['application/json'] },
      });
      expect(decodeApiGatewayRequest(event).signature).toBeUndefined();
    });

    it('is undefined for an empty multi-value list', () => {
      const event = apiGatewayEvent({
        body: '{}',
        multiValueHeaders: { 'x-apideck-signature': [] },
      });
      expect(decodeApiGatewayRequest(event).signature).toBeUndefined();
    });

    it('does not match a header that only starts with the name', () => {
      const event = apiGatewayEvent({
        body: '{}',
        headers: { 'x-apideck-signature-v2': SIGNATURE },
      });
      expect(decodeApiGatewayRequest(event).signature).toBeUndefined();
    });
  });

  describe('body', () => {
    it('decodes a base64 body to the bytes as sent', () => {
      const bytes = loadEventBytes();
      const event = apiGatewayEvent({ body: bytes.toString('base64'), isBase64Encoded: true });
      expect(decodeApiGatewayRequest(event).body.equals(bytes)).toBe(true);
    });

    it('keeps bytes that are not valid UTF-8 in a base64 body', () => {
      const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
      const event = apiGatewayEvent({ body: bytes.toString('base64'), isBase64Encoded: true });
      expect([...decodeApiGatewayRequest(event).body]).toEqual([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
    });

    it('encodes a text body as UTF-8 bytes', () => {
      const event = apiGatewayEvent({ body: '{"a":"é😀"}' });
      expect(decodeApiGatewayRequest(event).body.equals(Buffer.from('{"a":"é😀"}', 'utf8'))).toBe(
        true,
      );
    });

    it('does not base64-decode a text body that happens to look like base64', () => {
      const event = apiGatewayEvent({ body: 'e30=', isBase64Encoded: false });
      expect(decodeApiGatewayRequest(event).body.toString('utf8')).toBe('e30=');
    });

    it('reads a null body as empty', () => {
      expect(decodeApiGatewayRequest(apiGatewayEvent({ body: null })).body.byteLength).toBe(0);
    });
  });

  describe('HTTP API event (payload format 2.0)', () => {
    it('finds the signature header under its lower-case name', () => {
      const event = httpApiEvent({ body: '{}', headers: { 'x-apideck-signature': SIGNATURE } });
      expect(decodeApiGatewayRequest(event).signature).toBe(SIGNATURE);
    });

    it('passes a repeated header as the HTTP API joins it, values and commas', () => {
      const event = httpApiEvent({
        body: '{}',
        headers: { 'x-apideck-signature': `${SIGNATURE},second` },
      });
      expect(decodeApiGatewayRequest(event).signature).toBe(`${SIGNATURE},second`);
    });

    it('is undefined without the header (the event has no multiValueHeaders)', () => {
      const event = httpApiEvent({ body: '{}', headers: { 'content-type': 'application/json' } });
      expect(decodeApiGatewayRequest(event).signature).toBeUndefined();
    });

    it('decodes a base64 body to the bytes as sent', () => {
      const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
      const event = httpApiEvent({ body: bytes.toString('base64'), isBase64Encoded: true });
      expect([...decodeApiGatewayRequest(event).body]).toEqual([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
    });

    it('encodes a text body as UTF-8 bytes', () => {
      const event = httpApiEvent({ body: '{"a":"é😀"}' });
      expect(decodeApiGatewayRequest(event).body.equals(Buffer.from('{"a":"é😀"}', 'utf8'))).toBe(
        true,
      );
    });

    it('reads an event without a body field as an empty body', () => {
      expect(decodeApiGatewayRequest(httpApiEvent()).body.byteLength).toBe(0);
    });
  });
});
