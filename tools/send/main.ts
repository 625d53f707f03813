/**
 * `npm run send`: signs an Apideck event and POSTs it to the local dev server
 * (from `.dev/endpoints.json`) or any URL; the options are `USAGE` in `./args.ts`.
 */
import { displayPath, endpointsFile, readEndpoints } from '../dev/state.ts';
import { type PostResult, percentile, postDeliveries } from '../signed-delivery/post-deliveries.ts';
import { SAMPLE_EVENT_TYPES } from '../signed-delivery/sample-events.ts';
import { createBodyFactory } from '../signed-delivery/signed-bodies.ts';
import {
  type ParsedCommand,
  parseSendArgs,
  resolveEventSource,
  type SendArgs,
  USAGE,
  UsageError,
} from './args.ts';

/** Runs with at least this many sends show a progress line (on a terminal). */
const PROGRESS_FROM = 20;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

interface Target {
  readonly url: string;
  readonly key: string;
  readonly local: boolean;
}

function resolveTarget(args: SendArgs): Target {
  if (args.url !== undefined) {
    const key = args.key ?? process.env.APIDECK_API_KEY;
    if (!key) throw new UsageError('--url needs the API key: --key KEY or APIDECK_API_KEY');
    return { url: args.url, key, local: false };
  }
  const file = endpointsFile();
  let endpoints: ReturnType<typeof readEndpoints>;
  try {
    endpoints = readEndpoints(file);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (endpoints === undefined) {
    throw new UsageError(
      `no ${displayPath(file)}: start \`npm run dev\` first, or give --url and --key`,
    );
  }
  return { url: endpoints.webhookUrl, key: args.key ?? endpoints.apiKey, local: true };
}

/** A progress line on stderr, redrawn in place; only on a terminal, for long runs. */
class Progress {
  private done = 0;
  private readonly counts = new Map<string, number>();
  private lastDraw = 0;
  private shown = false;

  constructor(
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}

  /** Counts a result, prints its `line` (if any) above the progress line, then redraws that. */
  add(result: PostResult, line: string | undefined): void {
    this.done += 1;
    const key = result.ok ? String(result.status) : 'error';
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (line !== undefined) {
      this.clear();
      out(line);
    }
    const now = Date.now();
    if (!this.enabled || (now - this.lastDraw < 100 && this.done < this.total)) return;
    this.lastDraw = now;
    const counts = [...this.counts].map(([name, count]) => `${name}:${count}`).join(' ');
    const width = String(this.total).length;
    process.stderr.write(`\r\x1b[K  ${String(this.done).padStart(width)}/${this.total}  ${counts}`);
    this.shown = true;
  }

  /** Erases the line (before another line is printed). */
  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}

/** `200:49 409:1`: how many of `items` have each key, keys in order. */
function counts<T>(items: readonly T[], key: (item: T) => string): string {
  const byKey = new Map<string, number>();
  for (const item of items) byKey.set(key(item), (byKey.get(key(item)) ?? 0) + 1);
  return [...byKey]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => `${name}:${count}`)
    .join(' ');
}

function ms(value: number | undefined): string {
  return value === undefined ? '-' : `${value.toFixed(1)} ms`;
}

/**
 * `sent 50  200:49 409:1  (published:1 duplicate:48 in_progress:1)  p50 12.3 ms  p99 40.1 ms  in 0.4 s`:
 * counts, and latency percentiles of the requests that got an answer.
 */
export function formatSummary(results: readonly PostResult[], elapsedMs: number): string {
  const answered = results.flatMap((result) => (result.ok ? [result] : []));
  const latencies = answered.map((result) => result.latencyMs).sort((a, b) => a - b);
  const networkErrors = results.length - answered.length;
  const parts = [`sent ${results.length}`];
  if (answered.length > 0) parts.push(counts(answered, (result) => String(result.status)));
  if (networkErrors > 0) parts.push(`network-error:${networkErrors}`);
  if (answered.length > 0) parts.push(`(${counts(answered, (result) => result.outcome ?? '?')})`);
  parts.push(`p50 ${ms(percentile(latencies, 50))}`, `p99 ${ms(percentile(latencies, 99))}`);
  const seconds = elapsedMs / 1000;
  const rate =
    results.length > 1 && seconds > 0 ? `, ${(results.length / seconds).toFixed(0)} req/s` : '';
  parts.push(`in ${seconds.toFixed(2)} s${rate}`);
  return parts.join('  ');
}

/** One request's line: `#3    200 published  <event_id>  12.3 ms`. */
export function formatResult(result: PostResult, indexWidth: number): string {
  const index = `#${result.index}`.padEnd(indexWidth + 1);
  const id = result.eventId ?? '-';
  if (!result.ok) return `${index}  ERR ${result.error}  ${id}  ${ms(result.latencyMs)}`;
  return `${index}  ${result.status} ${result.outcome ?? '?'}  ${id}  ${ms(result.latencyMs)}`;
}

function hints(results: readonly PostResult[], target: Target): string[] {
  const outcomes = new Set(results.map((result) => (result.ok ? result.outcome : result.error)));
  const found: string[] = [];
  if (outcomes.has('unauthorized')) {
    found.push("401: the key is not the receiver's (--key, APIDECK_API_KEY)");
  }
  if (outcomes.has('outside_replay_window')) {
    found.push(
      '422 outside_replay_window: occurred_at is too old or in the future; drop --keep-time',
    );
  }
  if (outcomes.has('payload_conflict')) {
    found.push(
      '422 payload_conflict: this event_id was sent before with another body (another occurred_at: an earlier day, or --keep-time); use --fresh',
    );
  }
  if (outcomes.has('ECONNREFUSED') && target.local) {
    found.push('connection refused: is `npm run dev` still running?');
  }
  return found.map((hint) => `hint: ${hint}`);
}

async function run(command: ParsedCommand): Promise<number> {
  if (command.kind === 'help') {
    out(USAGE);
    return 0;
  }
  if (command.kind === 'list') {
    for (const type of SAMPLE_EVENT_TYPES) out(type);
    return 0;
  }
  const { args } = command;
  const source = resolveEventSource(args.source);
  const target = resolveTarget(args);
  const factory = createBodyFactory(source.bytes, {
    key: target.key,
    fresh: args.fresh,
    keepTime: args.keepTime,
  });
  const repeat = args.times > 1 ? `  x${args.times}, concurrency ${args.concurrency}` : '';
  out(`POST ${target.url}  ${source.label}${repeat}`);
  for (const note of factory.notes) out(`  ${note}`);

  const progress = new Progress(
    args.times,
    args.times >= PROGRESS_FROM && process.stderr.isTTY === true,
  );
  const indexWidth = String(args.times).length;
  const started = performance.now();
  const results = await postDeliveries({
    url: target.url,
    times: args.times,
    concurrency: args.concurrency,
    next: factory.next,
    onResult: (result) =>
      progress.add(result, args.quiet ? undefined : formatResult(result, indexWidth)),
  });
  const elapsedMs = performance.now() - started;
  progress.clear();
  out(formatSummary(results, elapsedMs));
  for (const hint of hints(results, target)) out(hint);
  return results.every((result) => result.ok) ? 0 : 1;
}

try {
  process.exitCode = await run(parseSendArgs(process.argv.slice(2)));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`send: ${error.message}\n(npm run send -- --help shows the usage)\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
