/** The sender's command line, and the event it names. */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  isSampleEventType,
  loadSampleBytes,
  SAMPLE_EVENT_TYPES,
} from '../signed-delivery/sample-events.ts';

export const USAGE = `usage: npm run send -- <event type | file> [options]

Signs an Apideck event with the API key (HMAC-SHA256 over the key-sorted body)
and POSTs it, by default to the running \`npm run dev\` (.dev/endpoints.json).

  <event type>        a built-in sample: ${SAMPLE_EVENT_TYPES[0]}, … (--list shows all)
  <file>              any body, e.g. an event captured from Apideck

options:
  --url URL           post here instead (e.g. a deployed endpoint; then give --key)
  --key KEY           sign with this API key (default: APIDECK_API_KEY with --url,
                      the dev server's key without)
  --times N           send N times (default 1)
  --concurrency C     at most C requests at a time (default 1)
  --fresh             a new event_id (and occurred_at now) for every send
  --keep-time         keep occurred_at as in the file (default: today, 00:00Z)
  --quiet             no line per request: progress and summary only
  --list              list the built-in samples
  -h, --help          this text

Prints each request's status, then: sent N, counts by HTTP status and by the
answer's status, latency p50/p99. Exit code 0 when every request got an HTTP
answer (whatever its status), 1 when any failed at the network level (refused,
reset, timeout after 30 s), 2 for a usage error.`;

/** A command line the sender cannot run. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A run of the sender. */
export interface SendArgs {
  readonly source: string;
  readonly url: string | undefined;
  readonly key: string | undefined;
  readonly times: number;
  readonly concurrency: number;
  readonly fresh: boolean;
  readonly keepTime: boolean;
  readonly quiet: boolean;
}

export type ParsedCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'list' }
  | { readonly kind: 'send'; readonly args: SendArgs };

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
    throw new UsageError(`--${name} must be a whole number of at least 1, not "${value}"`);
  }
  return number;
}

function httpUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const url = URL.parse(value);
  if (url === null) throw new UsageError(`--url must be a URL, not "${value}"`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--url must be http(s), not "${value}"`);
  }
  return url.toString();
}

/** Parses `process.argv.slice(2)`. */
export function parseSendArgs(argv: readonly string[]): ParsedCommand {
  const { values, positionals } = parse(argv);
  if (values.help) return { kind: 'help' };
  if (values.list) return { kind: 'list' };
  const [source, ...extra] = positionals;
  if (source === undefined) throw new UsageError('which event? Give an event type or a file');
  if (extra.length > 0) throw new UsageError(`one event at a time (also got: ${extra.join(' ')})`);
  return {
    kind: 'send',
    args: {
      source,
      url: httpUrl(values.url),
      key: values.key,
      times: positiveInteger('times', values.times, 1),
      concurrency: positiveInteger('concurrency', values.concurrency, 1),
      fresh: values.fresh ?? false,
      keepTime: values['keep-time'] ?? false,
      quiet: values.quiet ?? false,
    },
  };
}

/** `parseArgs`, its errors (unknown option, missing value) as usage errors. */
function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        key: { type: 'string' },
        times: { type: 'string' },
        concurrency: { type: 'string' },
        fresh: { type: 'boolean' },
        'keep-time': { type: 'boolean' },
        quiet: { type: 'boolean' },
        list: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** What the sender sends: a body's bytes and where they came from. */
export interface EventSource {
  /** `vault.connection.created (sample)` or the file's path. */
  readonly label: string;
  readonly bytes: Buffer;
}

/** Resolves `<event type | file>`: a built-in sample's event type, or the path of a file holding any body. */
export function resolveEventSource(argument: string): EventSource {
  if (isSampleEventType(argument)) {
    return { label: `${argument} (sample)`, bytes: loadSampleBytes(argument) };
  }
  if (statSync(argument, { throwIfNoEntry: false })?.isFile()) {
    return { label: argument, bytes: readFileSync(argument) };
  }
  throw new UsageError(
    `"${argument}" is neither an event type with a sample nor a file.\nSamples: ${SAMPLE_EVENT_TYPES.join(', ')}`,
  );
}
