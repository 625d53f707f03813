/** Posts signed bodies with a pool of concurrent workers (global `fetch`). */
import { SIGNATURE_HEADER } from '../../lambda/contract/http.ts';
import { isJsonObject, parseJsonBody } from '../../lambda/domain/json-body.ts';
import type { SignedBody } from './signed-bodies.ts';

/** Per request: API Gateway itself gives up after 29 s. */
const TIMEOUT_MS = 30_000;

/** What one request came to: an HTTP answer, or a network-level failure. */
export type PostAnswer =
  | {
      readonly ok: true;
      readonly status: number;
      /** The answer's `status` (the receiver's) or `message` (API Gateway's), when JSON. */
      readonly outcome: string | undefined;
      /** The answer's `Retry-After` header (409 and 503 carry one). */
      readonly retryAfter: string | undefined;
    }
  | { readonly ok: false; readonly error: string };

/** One request (1-based `index`) and its answer. */
export type PostResult = {
  readonly index: number;
  readonly latencyMs: number;
  readonly eventId: string | undefined;
} & PostAnswer;

/** Nearest-rank percentile of ascending values; `undefined` for none. */
export function percentile(sortedAscending: readonly number[], p: number): number | undefined {
  if (sortedAscending.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length, Math.max(1, rank)) - 1];
}

/** Options of {@link postDeliveries}. */
export interface PostDeliveriesOptions {
  readonly url: string;
  readonly times: number;
  readonly concurrency: number;
  /** The body of the next send (called once per send, in order). */
  readonly next: () => SignedBody;
  /** Called as each request finishes. */
  readonly onResult?: (result: PostResult) => void;
}

/** The headers Apideck sends with a delivery. */
function deliveryHeaders(prepared: SignedBody): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'apideck-webhooks-send',
    [SIGNATURE_HEADER]: prepared.signature,
    ...(prepared.eventType === undefined ? {} : { 'x-apideck-event-type': prepared.eventType }),
    ...(prepared.eventId === undefined ? {} : { 'x-apideck-idempotency-key': prepared.eventId }),
  };
}

/** The answer's short status: the receiver's `status`, or API Gateway's `message`. */
export function outcomeOf(text: string): string | undefined {
  const parsed = parseJsonBody(text);
  const { status, message } = parsed.ok && isJsonObject(parsed.value) ? parsed.value : {};
  if (typeof status === 'string') return status;
  return typeof message === 'string' ? message : undefined;
}

/** Why a request got no HTTP answer: `ECONNREFUSED`, `timeout after 30 s`, … */
function describeNetworkError(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timeout after ${TIMEOUT_MS / 1000} s`;
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sends `times` requests, at most `concurrency` at a time, and returns every
 * result in send order. Never throws for a request: a failure is a result.
 */
export async function postDeliveries(options: PostDeliveriesOptions): Promise<PostResult[]> {
  const results: PostResult[] = [];
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    while (nextIndex < options.times) {
      nextIndex += 1;
      const index = nextIndex;
      const prepared = options.next();
      const started = performance.now();
      let answer: PostAnswer;
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          headers: deliveryHeaders(prepared),
          body: prepared.body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const text = await response.text();
        answer = {
          ok: true,
          status: response.status,
          outcome: outcomeOf(text),
          retryAfter: response.headers.get('retry-after') ?? undefined,
        };
      } catch (error) {
        answer = { ok: false, error: describeNetworkError(error) };
      }
      const result: PostResult = {
        index,
        latencyMs: performance.now() - started,
        eventId: prepared.eventId,
        ...answer,
      };
      results[index - 1] = result;
      options.onResult?.(result);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, options.times));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
