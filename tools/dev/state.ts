/**
 * `.dev/endpoints.json`: what a running `npm run dev` serves, written at start
 * and removed at a clean stop, so that `npm run send` (and anyone else) can find
 * the local webhook URL, the emulator and the development API key.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isJsonObject } from '../../lambda/domain/json-body.ts';

/** The repository root, resolved from this module (never from the working directory). */
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What `npm run dev` serves, as written to `endpoints.json`. */
export interface DevEndpoints {
  /** `POST` signed Apideck events here. */
  readonly webhookUrl: string;
  /** The AWS API emulator every SDK client of the dev process talks to. */
  readonly emulatorEndpoint: string;
  readonly region: string;
  /** The API key the local receiver verifies signatures with. */
  readonly apiKey: string;
  /** Event type -> SNS topic ARN; `"*"` is the catch-all topic. */
  readonly topics: Readonly<Record<string, string>>;
}

/**
 * Path of `endpoints.json` in `$DEV_STATE_DIR` (relative to the working
 * directory; tests point it at a temporary one) or `<project root>/.dev`.
 */
export function endpointsFile(): string {
  const override = process.env.DEV_STATE_DIR;
  return join(override ? resolve(override) : join(PROJECT_ROOT, '.dev'), 'endpoints.json');
}

/** `path` relative to the working directory, unless it lies outside it. */
export function displayPath(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd.startsWith('..') ? path : fromCwd;
}

/** Writes the file atomically (a reader never sees half of it). */
export async function writeEndpoints(file: string, endpoints: DevEndpoints): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(endpoints, null, 2)}\n`);
  renameSync(temporary, file);
}

/**
 * Removes the file if it still describes `webhookUrl`: a second `npm run dev`
 * (on another port) may have replaced it, and its file must survive our stop.
 */
export function removeEndpoints(file: string, webhookUrl: string): void {
  try {
    if (readEndpoints(file)?.webhookUrl === webhookUrl) rmSync(file, { force: true });
  } catch {
    // Unreadable or already gone: nothing of ours to remove.
  }
}

/** Reads and checks the file; `undefined` when it does not exist. */
export function readEndpoints(file: string): DevEndpoints | undefined {
  if (!existsSync(file)) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isJsonObject(parsed) || !isJsonObject(parsed.topics)) {
    throw new Error(`${file} is not what npm run dev writes`);
  }
  const text = (name: keyof DevEndpoints): string => {
    const value = parsed[name];
    if (typeof value !== 'string') throw new Error(`${file}: ${name} must be a string`);
    return value;
  };
  return {
    webhookUrl: text('webhookUrl'),
    emulatorEndpoint: text('emulatorEndpoint'),
    region: text('region'),
    apiKey: text('apiKey'),
    topics: Object.fromEntries(
      Object.entries(parsed.topics).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    ),
  };
}
