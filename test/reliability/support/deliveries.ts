/**
 * Signed deliveries for the scenarios, made and posted with the
 * modules of `tools/signed-delivery` (which `npm run send` uses too): fresh
 * events, Apideck's retries of them, and the answers counted by HTTP status
 * and `status`.
 */
import { randomBytes } from 'node:crypto';
import {
  VAULT_CONNECTION_EVENT_TYPES,
  type VaultConnectionEventType,
} from '../../../lambda/contract/event-catalogue.ts';
import { signBody } from '../../../lambda/domain/signature.ts';
import {
  type PostResult,
  percentile,
  postDeliveries,
} from '../../../tools/signed-delivery/post-deliveries.ts';
import { loadSampleBytes } from '../../../tools/signed-delivery/sample-events.ts';
import {
  createBodyFactory,
  type SignedBody,
  wireText,
} from '../../../tools/signed-delivery/signed-bodies.ts';

export type { PostResult } from '../../../tools/signed-delivery/post-deliveries.ts';
export type { SignedBody } from '../../../tools/signed-delivery/signed-bodies.ts';

/** A development API key, as `npm run dev` generates them. */
export function newApiKey(): string {
  return `sk_verify_${randomBytes(16).toString('hex')}`;
}

/**
 * `count` new events (new `event_id`, `occurred_at` now), cycling through the
 * Vault connection samples, each signed with `key` as Apideck signs.
 */
export function freshEvents(
  count: number,
  key: string,
  types: readonly VaultConnectionEventType[] = VAULT_CONNECTION_EVENT_TYPES,
): SignedBody[] {
  const factories = types.map(
    (type) => createBodyFactory(loadSampleBytes(type), { key, fresh: true, keepTime: false }).next,
  );
  return Array.from({ length: count }, (_, index) => {
    const next = factories[index % factories.length];
    if (next === undefined) throw new Error('no event types');
    return next();
  });
}

/**
 * Apideck's retry of a delivery: the same event with `execution_attempt`
 * incremented, signed again.
 */
export function apideckRetry(prepared: SignedBody, key: string): SignedBody {
  const body = JSON.parse(prepared.body.toString('utf8')) as { payload: Record<string, unknown> };
  const attempt =
    typeof body.payload.execution_attempt === 'number' ? body.payload.execution_attempt : 1;
  const text = wireText({ ...body, payload: { ...body.payload, execution_attempt: attempt + 1 } });
  return { ...prepared, body: Buffer.from(text, 'utf8'), signature: signBody(text, key) };
}

/** The event id of a prepared event. */
export function eventIdOf(prepared: SignedBody): string {
  if (prepared.eventId === undefined) throw new Error('not an event');
  return prepared.eventId;
}

/** Posts one body and returns its answer, or the network error (a result, never a throw). */
export async function postOnce(url: string, prepared: SignedBody): Promise<PostResult> {
  const [result] = (await postAll(url, [prepared], 1)).results;
  if (result === undefined) throw new Error('no result for the one send');
  return result;
}

/** `"200 published"`, `"503 unavailable"`, `"no answer"`: the key answers are counted under. */
export function answerKey(result: PostResult): string {
  return result.ok ? `${result.status} ${result.outcome ?? '?'}` : 'no answer';
}

/** Counts answers by {@link answerKey}, adding to `into`. */
export function countAnswers(
  results: readonly PostResult[],
  into: Record<string, number> = {},
): Record<string, number> {
  for (const result of results) {
    const key = answerKey(result);
    into[key] = (into[key] ?? 0) + 1;
  }
  return into;
}

/** A batch of posts: each answer, their counts by {@link answerKey}, and how long it took. */
export interface Batch {
  readonly results: readonly PostResult[];
  readonly answers: Record<string, number>;
  readonly elapsedMs: number;
}

/** Posts each body once, at most `concurrency` at a time (the sender's worker pool). */
export async function postAll(
  url: string,
  bodies: readonly SignedBody[],
  concurrency: number,
): Promise<Batch> {
  let index = 0;
  const started = performance.now();
  const results = await postDeliveries({
    url,
    times: bodies.length,
    concurrency,
    next: () => {
      const body = bodies[index++];
      if (body === undefined) throw new Error('more sends than bodies');
      return body;
    },
  });
  return { results, answers: countAnswers(results), elapsedMs: performance.now() - started };
}

/** Latency percentiles and throughput of a batch, for the notes. */
export function latencyNote({ results, elapsedMs }: Batch): string {
  const latencies = results
    .filter((result) => result.ok)
    .map((result) => result.latencyMs)
    .sort((a, b) => a - b);
  const p50 = percentile(latencies, 50) ?? Number.NaN;
  const p99 = percentile(latencies, 99) ?? Number.NaN;
  const rate = results.length / (elapsedMs / 1000);
  return `${results.length} requests in ${(elapsedMs / 1000).toFixed(1)} s (${rate.toFixed(0)} req/s), latency p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`;
}
