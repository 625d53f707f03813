import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalBodyOf } from '../../../lambda/domain/canonical-body.ts';
import { canonicalJson } from '../../../lambda/domain/canonical-json.ts';
import { parseJsonBody } from '../../../lambda/domain/json-body.ts';
import {
  decodeSignatureHeader,
  isValidSignature,
  signBody,
  signedMessageCandidates,
} from '../../../lambda/domain/signature.ts';
import {
  loadEventBytes,
  loadEventText,
  loadSigningVector,
  signatureDigest,
} from '../../support/apideck-events.ts';

const vector = loadSigningVector();
const rawBytes = loadEventBytes();
const rawText = loadEventText();

/** The candidates the receiver builds for a body as on the wire. */
function candidatesOf(bytes: Uint8Array, text: string): Uint8Array[] {
  return signedMessageCandidates(bytes, canonicalBodyOf(parseJsonBody(text))?.text);
}

function vectorCandidates(): Uint8Array[] {
  return candidatesOf(rawBytes, rawText);
}

function verifies(header: string, keys: readonly string[] = [vector.key]): boolean {
  return isValidSignature(header, vectorCandidates(), keys);
}

/** The vector's canonical digest with one hex character changed. */
function flipHexChar(hex: string, index: number): string {
  const flipped = hex[index] === '0' ? '1' : '0';
  return `${hex.slice(0, index)}${flipped}${hex.slice(index + 1)}`;
}

describe('signature', () => {
  describe('shared vector', () => {
    it('serialises the wire body to the canonical message the vector records', () => {
      expect(canonicalJson(JSON.parse(rawText))).toBe(vector.canonical_message);
    });

    it('computes the vector HMAC over the canonical message', () => {
      const digest = createHmac('sha256', vector.key)
        .update(canonicalJson(JSON.parse(rawText)), 'utf8')
        .digest('hex');
      expect(digest).toBe(vector.hmac_sha256_hex_of_canonical);
    });

    it('signs the wire body with signBody like the vector says (canonical form)', () => {
      expect(signBody(rawText, vector.key)).toBe(vector.hmac_sha256_hex_of_canonical);
    });

    it('signs the wire body with signBody like the vector says (raw form)', () => {
      expect(signBody(rawText, vector.key, 'raw')).toBe(vector.hmac_sha256_hex_of_raw_file_bytes);
    });

    it('accepts the digest of the canonical form', () => {
      expect(verifies(vector.hmac_sha256_hex_of_canonical)).toBe(true);
    });

    it('accepts the digest of the raw bytes as received', () => {
      expect(verifies(vector.hmac_sha256_hex_of_raw_file_bytes)).toBe(true);
    });

    it('accepts upper-case hex', () => {
      expect(verifies(vector.hmac_sha256_hex_of_canonical.toUpperCase())).toBe(true);
    });

    it('accepts the digest in standard base64', () => {
      const base64 = Buffer.from(vector.hmac_sha256_hex_of_canonical, 'hex').toString('base64');
      expect(verifies(base64)).toBe(true);
    });

    it('accepts the digest in base64url without padding', () => {
      const base64url = Buffer.from(vector.hmac_sha256_hex_of_canonical, 'hex').toString(
        'base64url',
      );
      expect(verifies(base64url)).toBe(true);
    });

    it('accepts a header with surrounding whitespace', () => {
      expect(verifies(`  ${vector.hmac_sha256_hex_of_canonical}\t`)).toBe(true);
    });

    it('rejects the digest under another key', () => {
      expect(verifies(signatureDigest(rawText, 'sk_test_some_other_key').toString('hex'))).toBe(
        false,
      );
    });

    it('rejects the right digest checked against the wrong key', () => {
      expect(verifies(vector.hmac_sha256_hex_of_canonical, ['sk_test_some_other_key'])).toBe(false);
    });

    it.each([0, 31, 63])('rejects the digest with hex character %i flipped', (index) => {
      expect(verifies(flipHexChar(vector.hmac_sha256_hex_of_canonical, index))).toBe(false);
    });

    it('rejects a truncated digest', () => {
      expect(verifies(vector.hmac_sha256_hex_of_canonical.slice(0, 63))).toBe(false);
    });

    it('rejects a digest with an extra character', () => {
      expect(verifies(`${vector.hmac_sha256_hex_of_canonical}0`)).toBe(false);
    });

    it('rejects an empty header', () => {
      expect(verifies('')).toBe(false);
    });

    it.each(['not-a-signature', `sha256=${vector.hmac_sha256_hex_of_canonical}`, 'z'.repeat(64)])(
      'rejects the garbage header %s',
      (header) => {
        expect(verifies(header)).toBe(false);
      },
    );

    it('accepts a digest made with any of several keys (rotation)', () => {
      const keys = ['sk_test_next_key', vector.key, 'sk_test_old_key'];
      expect(verifies(vector.hmac_sha256_hex_of_canonical, keys)).toBe(true);
    });

    it('accepts a digest made with the new key while the old one is still listed', () => {
      const header = signatureDigest(rawText, 'sk_test_next_key').toString('hex');
      expect(verifies(header, [vector.key, 'sk_test_next_key'])).toBe(true);
    });

    it('rejects every header when no key is configured', () => {
      expect(verifies(vector.hmac_sha256_hex_of_canonical, [])).toBe(false);
    });
  });

  describe('decodeSignatureHeader', () => {
    it('decodes hex to the 32 digest bytes', () => {
      expect(decodeSignatureHeader(vector.hmac_sha256_hex_of_canonical)).toEqual(
        Buffer.from(vector.hmac_sha256_hex_of_canonical, 'hex'),
      );
    });

    it('decodes base64url with a "-" or "_" to the same bytes as base64', () => {
      // 0xfb 0xff ... encodes with "+" and "/" in base64, "-" and "_" in base64url.
      const digest = Buffer.alloc(32, 0xfb);
      expect(decodeSignatureHeader(digest.toString('base64url'))).toEqual(digest);
    });

    it('decodes nothing for base64 of a 31-byte value', () => {
      expect(decodeSignatureHeader(Buffer.alloc(31, 7).toString('base64'))).toBeUndefined();
    });
  });

  describe('signedMessageCandidates', () => {
    it('offers the canonical form first, then the raw bytes', () => {
      const candidates = vectorCandidates();
      expect(candidates.map((c) => Buffer.from(c).toString('utf8'))).toEqual([
        vector.canonical_message,
        rawText,
      ]);
    });

    it('offers the raw bytes once when they are already canonical', () => {
      const canonical = Buffer.from(vector.canonical_message, 'utf8');
      const candidates = candidatesOf(canonical, vector.canonical_message);
      expect(candidates).toEqual([canonical]);
    });

    it('offers only the raw bytes for a body that is not JSON', () => {
      const body = Buffer.from('not json', 'utf8');
      expect(candidatesOf(body, 'not json')).toEqual([body]);
    });

    it('verifies a body too deeply nested to serialise by its raw bytes, without throwing', () => {
      const depth = 20_000;
      const text = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const body = Buffer.from(text, 'utf8');
      const json = parseJsonBody(text);
      if (!json.ok) throw new Error('precondition: the nested body parses');
      expect(() => canonicalJson(json.value)).toThrow(RangeError);
      const header = createHmac('sha256', vector.key).update(body).digest('hex');
      expect(isValidSignature(header, candidatesOf(body, text), [vector.key])).toBe(true);
    });
  });
});
