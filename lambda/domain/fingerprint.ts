import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** Apideck's retries of one event differ only in this field. */
export const VOLATILE_FIELDS: ReadonlySet<string> = new Set(['execution_attempt']);

/**
 * The fingerprint of a payload from its canonical text without
 * {@link VOLATILE_FIELDS} (see `canonical-body.ts`, which has that text already).
 */
export function fingerprintOfCanonicalPayload(canonicalWithoutVolatile: string): string {
  return hash('sha256', canonicalWithoutVolatile, 'hex');
}

/**
 * SHA-256 (hex) of the canonical payload without `execution_attempt`: equal for
 * every retry of one event, different when the same `event_id` carries another
 * payload.
 */
export function payloadFingerprint(payload: Readonly<Record<string, unknown>>): string {
  return fingerprintOfCanonicalPayload(canonicalJson(payload, VOLATILE_FIELDS));
}
