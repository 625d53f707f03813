import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

const DIGEST_BYTES = 32;
const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;
const BASE64_DIGEST = /^[A-Za-z0-9+/_-]{43}={0,1}$/;

/**
 * Decodes a signature header's value into the 32 digest bytes it claims,
 * accepting lower- or upper-case hex and base64 (standard or URL-safe).
 * Anything else decodes to nothing and can never match.
 */
export function decodeSignatureHeader(header: string): Buffer | undefined {
  const value = header.trim();
  if (HEX_DIGEST.test(value)) return Buffer.from(value, 'hex');
  if (BASE64_DIGEST.test(value)) {
    const bytes = Buffer.from(
      value,
      value.includes('-') || value.includes('_') ? 'base64url' : 'base64',
    );
    return bytes.length === DIGEST_BYTES ? bytes : undefined;
  }
  return undefined;
}

/**
 * The messages Apideck may have signed: the canonical form of the parsed body
 * (what its guide describes; see `canonical-body.ts`) and the raw bytes as
 * received (in case the body on the wire is already what was signed). A body
 * whose canonical form cannot be built (invalid or too deeply nested JSON) has
 * only the raw candidate.
 */
export function signedMessageCandidates(
  rawBody: Uint8Array,
  canonical: string | undefined,
): Uint8Array[] {
  const candidates: Uint8Array[] = [rawBody];
  if (canonical === undefined) return candidates;
  const canonicalBytes = Buffer.from(canonical, 'utf8');
  if (!canonicalBytes.equals(rawBody)) candidates.unshift(canonicalBytes);
  return candidates;
}

/**
 * Whether `header` is the HMAC-SHA256 of one of the candidate messages under
 * one of the keys. Each digest is compared with `timingSafeEqual` on
 * equal-length buffers, so the time taken does not reveal how much of a guess
 * was right. The search stops at the first match, canonical form and current
 * key first (what Apideck sends): which pair matched is no secret, and a valid
 * delivery then costs one HMAC instead of one per pair. This is how the
 * Standard Webhooks library checks its candidate signatures.
 */
export function isValidSignature(
  header: string,
  candidates: readonly Uint8Array[],
  keys: readonly string[],
): boolean {
  const claimed = decodeSignatureHeader(header);
  if (claimed === undefined) return false;
  for (const key of keys) {
    for (const message of candidates) {
      const digest = createHmac('sha256', key).update(message).digest();
      if (timingSafeEqual(digest, claimed)) return true;
    }
  }
  return false;
}

/** Computes the hex HMAC-SHA256 signature Apideck would send for a body (used by the sender and tests). */
export function signBody(
  body: string,
  key: string,
  form: 'canonical' | 'raw' = 'canonical',
): string {
  const message = form === 'canonical' ? canonicalJson(JSON.parse(body)) : body;
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}
