/**
 * The handler writes JSON lines to stdout, as in Lambda: one request log line
 * and one EMF metrics document per request. In the dev terminal the request
 * line is shown compactly and the metrics document is hidden; `--raw-logs`
 * shows both as written.
 */
import { isJsonObject, parseJsonBody } from '../../lambda/domain/json-body.ts';

function describe(value: unknown): string {
  if (isJsonObject(value)) {
    const name = typeof value.name === 'string' ? value.name : 'Error';
    const message = typeof value.message === 'string' ? `: ${value.message}` : '';
    const cause = typeof value.cause === 'string' ? ` (cause ${value.cause})` : '';
    return `${name}${message}${cause}`;
  }
  return String(value);
}

/** Fields of the request line shown after the event, when present. */
const DETAIL_FIELDS = [
  'reason',
  'dependency',
  'retry_after_seconds',
  'size_bytes',
  'limit_bytes',
  'occurred_at',
  'routed',
  'completed',
  'error',
] as const;

/** The compact request line, less its head (status), for the answer to complete. */
function requestDetails(parsed: Record<string, unknown>): string {
  const details: string[] = [];
  for (const field of DETAIL_FIELDS) {
    const value = parsed[field];
    if (value === undefined || value === null) continue;
    // `routed: true` and `completed: true` are the normal case: only their absence is news.
    if ((field === 'routed' || field === 'completed') && value === true) continue;
    details.push(`${field}=${field === 'error' ? describe(value) : String(value)}`);
  }
  const duration = typeof parsed.duration_ms === 'number' ? `  ${parsed.duration_ms} ms` : '';
  return [
    String(parsed.event_type ?? '-'),
    `${String(parsed.event_id ?? '-')}${duration}`,
    ...details,
  ].join('  ');
}

/**
 * The dev terminal's view of the handler's lines: the request line is held
 * until its answer is sent, then printed with the answer's own words
 * (`lambda  401 unauthorized  -  -  4 ms  reason=missing`), the words the
 * sender prints too, rather than the log's outcome names; EMF is hidden.
 */
export class HandlerLog {
  private readonly held = new Map<string, string>();

  constructor(private readonly print: (line: string) => void) {}

  /** For {@link filterStdoutLines}: `undefined` hides a line (EMF, or a request line held). */
  readonly filter = (line: string): string | undefined => {
    const json = line.startsWith('{') ? parseJsonBody(line) : undefined;
    const parsed = json?.ok ? json.value : undefined;
    if (!isJsonObject(parsed)) return line;
    if (isJsonObject(parsed._aws)) return undefined;
    if (typeof parsed.request_id !== 'string' || typeof parsed.status_code !== 'number') {
      return line;
    }
    this.held.set(parsed.request_id, requestDetails(parsed));
    return undefined;
  };

  /** Prints the held request line of `requestId` with the answer's status code and `status`. */
  readonly answered = (requestId: string, statusCode: number, status: string | undefined): void => {
    const details = this.held.get(requestId) ?? '-';
    this.held.delete(requestId);
    this.print(`lambda  ${statusCode} ${status ?? '?'}  ${details}`);
  };
}

/**
 * Routes every line written to `process.stdout` through `format`, for the rest
 * of the process (whole lines only; a write that does not end a line passes unchanged).
 */
export function filterStdoutLines(format: (line: string) => string | undefined): void {
  const stdout = process.stdout;
  const original = stdout.write;
  const filtered = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (typeof chunk !== 'string' || !chunk.endsWith('\n')) {
      return Reflect.apply(original, stdout, [chunk, ...rest]) as boolean;
    }
    const lines = chunk
      .slice(0, -1)
      .split('\n')
      .map(format)
      .filter((line): line is string => line !== undefined);
    if (lines.length === 0) {
      const callback = rest.find((argument) => typeof argument === 'function');
      if (callback) process.nextTick(callback as () => void);
      return true;
    }
    return Reflect.apply(original, stdout, [`${lines.join('\n')}\n`, ...rest]) as boolean;
  };
  stdout.write = filtered as typeof stdout.write;
}
