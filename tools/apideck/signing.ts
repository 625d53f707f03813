/**
 * How Apideck signs a webhook (WEBHOOKS.md, "Signature"): HMAC-SHA256, keyed
 * with the application's API key, over the body with every object's keys
 * sorted recursively, serialised compactly; hex digest in
 * `x-apideck-signature`. Written from Apideck's description, independently of
 * the receiver's verifier, so that the two can disagree in a test.
 */
import { createHmac } from 'node:crypto';

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    sorted[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
  }
  return sorted;
}

/** The hex signature Apideck sends for a JSON body. */
export function apideckSignature(body: unknown, apiKey: string): string {
  return createHmac('sha256', apiKey)
    .update(JSON.stringify(sortKeysDeep(body)))
    .digest('hex');
}
