import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** Apideck's retries of one event differ only in this field. */
const VOLATILE_FIELDS: ReadonlySet<string> = new Set(['execution_attempt']);

/**
 * SHA-256 (hex) of the canonical payload without `execution_attempt`: equal for
 * every retry of one event, different when the same `event_id` carries another
 * payload.
 */
export function payloadFingerprint(payload: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(canonicalJson(payload, VOLATILE_FIELDS)).digest('hex');
}
