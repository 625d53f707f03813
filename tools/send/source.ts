/** The sender's argument: a built-in sample's event type, or the path of a file holding any body. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  isSampleEventType,
  loadSampleBytes,
  SAMPLE_EVENT_TYPES,
} from '../emulator/sender/samples.ts';

/** What the sender sends: a body's bytes and where they came from. */
export interface EventSource {
  /** `vault.connection.created (sample)` or the file's path. */
  readonly label: string;
  readonly bytes: Buffer;
}

/** An argument that is neither an event type with a sample nor a readable file. */
export class UnknownEventSourceError extends Error {
  override readonly name = 'UnknownEventSourceError';
}

/**
 * Resolves the sender's argument: a built-in sample's event type, or the path
 * of a file holding any body (relative to `cwd`).
 */
export function resolveEventSource(argument: string, cwd: string = process.cwd()): EventSource {
  if (isSampleEventType(argument)) {
    return { label: `${argument} (sample)`, bytes: loadSampleBytes(argument) };
  }
  const path = resolve(cwd, argument);
  if (existsSync(path) && statSync(path).isFile()) {
    return { label: argument, bytes: readFileSync(path) };
  }
  throw new UnknownEventSourceError(
    `"${argument}" is neither an event type with a sample nor a file.\nSamples: ${SAMPLE_EVENT_TYPES.join(', ')}`,
  );
}
