/**
 * What the scenarios about held claims share (a process death, a failed
 * release): a pipeline with short leases, and Apideck's retries before and
 * after a lease ends.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ENVIRONMENT } from '../../../lambda/contract/environment.ts';
import type { PostResult, SignedBody } from './deliveries.ts';
import type { PipelineOptions } from './pipeline.ts';
import type { Checks } from './result.ts';
import type { ScenarioContext } from './scenario.ts';

/** The pipeline of a scenario about leases: the function timeout and `LEASE_MARGIN_SECONDS`. */
export function leaseOptions(
  functionTimeoutMs: number,
  leaseMarginSeconds: number,
): Omit<PipelineOptions, 'apiKeys'> {
  return {
    functionTimeoutMs,
    environment: { [ENVIRONMENT.leaseMarginSeconds]: String(leaseMarginSeconds) },
  };
}

/** Waits until a lease ending at `leaseEndsAtMs` has ended, with 250 ms to spare for clock granularity. */
function sleepPastLease(leaseEndsAtMs: number): Promise<void> {
  return sleep(Math.max(0, leaseEndsAtMs + 250 - Date.now()));
}

/**
 * Apideck's retries of `bodies`, whose claims are held (IN_PROGRESS) until
 * their leases end (at `leaseEnds`, ms since the epoch): a round before the
 * first ends, each answered 409 `in_progress` with a `Retry-After` and nothing
 * delivered; a round after the last, each 200 `published`; one more, each 200
 * `duplicate`. Failed checks go to `checks`, their messages ending with `label`.
 */
export async function retryAcrossLeases(
  { pipeline, retry, post }: ScenarioContext,
  bodies: readonly SignedBody[],
  leaseEnds: readonly number[],
  checks: Checks,
  label = '',
) {
  const results: PostResult[] = [];
  let previous = bodies;
  const round = async (answer: string, when: string) => {
    previous = previous.map((body) => retry(body));
    const sentAtMs = Date.now();
    const batch = await post(previous, previous.length);
    results.push(...batch.results);
    checks.answered(batch.answers, answer, bodies.length, `${when}${label}`);
    return { batch, sentAtMs };
  };

  const early = await round('409 in_progress', 'before the leases end');
  checks.expect(
    early.sentAtMs < Math.min(...leaseEnds),
    `the early retries were sent after a lease had ended (timing)${label}`,
  );
  const retryAfter = early.batch.results.map((result) =>
    result.ok ? result.retryAfter : undefined,
  );
  checks.expect(
    retryAfter.every((value) => value !== undefined && Number(value) >= 1),
    `a 409 carries no Retry-After of 1 s or more (got ${retryAfter.map(String).join(', ')})${label}`,
  );
  const earlyDeliveries = await pipeline.drain(undefined, 500);
  checks.equal(`deliveries before the leases end${label}`, earlyDeliveries.length, 0);

  await sleepPastLease(Math.max(...leaseEnds));
  const late = await round('200 published', 'after the leases end');
  const lateDeliveries = await pipeline.drain(bodies.length, 1_000);
  await round('200 duplicate', 'to one more retry');
  const againDeliveries = await pipeline.drain(undefined, 1_000);
  return {
    /** Every answer of the three rounds. */
    results,
    /** Everything the tap received from the first round on. */
    deliveries: [...earlyDeliveries, ...lateDeliveries, ...againDeliveries],
    /** When the round after the leases was sent. */
    lateSentAtMs: late.sentAtMs,
  };
}
