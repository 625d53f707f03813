/**
 * The sample Apideck events: one per Vault connection event type of the
 * catalogue, stored in `test/fixtures/apideck/events/<type>.json` exactly as
 * Apideck puts them on the wire. Shared by `npm run send`, the Apideck stand-in and tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  VAULT_CONNECTION_EVENT_TYPES,
  type VaultConnectionEventType,
} from '../../lambda/contract/event-catalogue.ts';

/** Where the samples live, resolved from this module (never from the working directory). */
const SAMPLE_EVENTS_DIR = join(import.meta.dirname, '../../test/fixtures/apideck/events');

/** The event types with a built-in sample, in catalogue order. */
export const SAMPLE_EVENT_TYPES: readonly VaultConnectionEventType[] = VAULT_CONNECTION_EVENT_TYPES;

/** Whether a string names a built-in sample. */
export function isSampleEventType(value: string): value is VaultConnectionEventType {
  return (SAMPLE_EVENT_TYPES as readonly string[]).includes(value);
}

/** The bytes of a sample, exactly as stored. */
export function loadSampleBytes(type: VaultConnectionEventType): Buffer {
  return readFileSync(join(SAMPLE_EVENTS_DIR, `${type}.json`));
}
