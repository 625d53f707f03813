import { canonicalJsonWithMember } from './canonical-json.ts';
import { fingerprintOfCanonicalPayload, VOLATILE_FIELDS } from './fingerprint.ts';
import type { JsonBody } from './json-body.ts';

/**
 * What the receiver needs of a body's canonical form, serialised once: the
 * text Apideck signs (a signature candidate) and, when the body is an envelope,
 * its payload's fingerprint (the claim's), which would otherwise serialise the
 * payload, most of the body, a second time.
 */
export interface CanonicalBody {
  /** `canonicalJson(body)`. */
  readonly text: string;
  /** `payloadFingerprint(body.payload)` when `payload` is an object; otherwise `undefined`. */
  readonly payloadFingerprint: string | undefined;
}

/**
 * The canonical form of a parsed body; `undefined` for a body that is not JSON
 * or nests too deeply to serialise (its raw bytes alone are then verified, and
 * the envelope check refuses it).
 */
export function canonicalBodyOf(json: JsonBody): CanonicalBody | undefined {
  if (!json.ok) return undefined;
  try {
    // `payload`: the envelope's member (`envelope.ts`) whose object is the event.
    const { text, member } = canonicalJsonWithMember(json.value, 'payload', VOLATILE_FIELDS);
    return {
      text,
      payloadFingerprint: member === undefined ? undefined : fingerprintOfCanonicalPayload(member),
    };
  } catch {
    return undefined;
  }
}
