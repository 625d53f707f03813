/**
 * Key rotation: the secret goes from [old] to [new, old] to [new], with
 * `KEY_REFRESH_INTERVAL_SECONDS` short. While both keys are configured both are
 * accepted (the new one as soon as the key ring re-reads the secret, at most an
 * interval after it changed); once the old key is removed from the secret it is
 * rejected (401) within the refresh interval, and the new key keeps working.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import {
  answerKey,
  countAnswers,
  freshEvents,
  newApiKey,
  type PostResult,
  postAll,
  postOnce,
} from './support/deliveries.ts';
import type { Pipeline } from './support/pipeline.ts';
import { Checks, countDeliveries, deliveryColumns, n, type ScenarioRow } from './support/result.ts';
import { runScenario } from './support/scenario.ts';
import { SIZES } from './support/size.ts';

/** Events signed with each key in each phase. */
const perKey = SIZES.eventsPerKey;
/** `KEY_REFRESH_INTERVAL_SECONDS`. */
const intervalSeconds = 2;
const intervalMs = intervalSeconds * 1000;

/** Allowed beyond the interval: the polling step and a request's round trip. */
const SLACK_MS = 1_500;
const POLL_EVERY_MS = 100;

/** Posts a fresh event signed with `key` every `POLL_EVERY_MS` until it is answered `status`; returns every send. */
async function pollUntil(
  pipeline: Pipeline,
  key: string,
  status: number,
): Promise<{ sent: PostResult[]; elapsedMs: number | undefined }> {
  const startedAt = Date.now();
  const sent: PostResult[] = [];
  while (Date.now() - startedAt < intervalMs + 5_000) {
    const [body] = freshEvents(1, key);
    if (body === undefined) throw new Error('no event');
    const answer = await postOnce(pipeline.receiver.url, body);
    sent.push(answer);
    if (answer.ok && answer.status === status) return { sent, elapsedMs: Date.now() - startedAt };
    await sleep(POLL_EVERY_MS);
  }
  return { sent, elapsedMs: undefined };
}

/** The event ids answered `200 published`. */
function published(sent: readonly PostResult[]): string[] {
  return sent.flatMap((answer) =>
    answerKey(answer) === '200 published' && answer.eventId !== undefined ? [answer.eventId] : [],
  );
}

type Which = 'old' | 'new';
/** A batch of `perKey` events: label, signing key, the answer each must get. */
type KeyBatch = readonly [label: string, key: Which, answer: string];

/** Each change of the secret: batches sent before it, the key polled after it until answered `status`, batches sent then. */
interface Phase {
  readonly scenario: string;
  readonly before: readonly KeyBatch[];
  readonly keys: readonly Which[];
  readonly probe: { readonly key: Which; readonly status: number; readonly failure: string };
  readonly after: readonly KeyBatch[];
  readonly sent: string;
  readonly expected: string;
  readonly note: (elapsed: string, attempts: number) => string;
}

const PHASES: readonly Phase[] = [
  {
    scenario: 'Key rotation: old and new key configured',
    before: [['old key alone', 'old', '200 published']],
    keys: ['new', 'old'],
    probe: {
      key: 'new',
      status: 200,
      failure: 'the new key was not accepted within %s of being added',
    },
    after: [
      ['[new, old]: old key', 'old', '200 published'],
      ['[new, old]: new key', 'new', '200 published'],
    ],
    sent: `${n(perKey)} with the old key alone, then secret [new, old]: new-key events until one is accepted, ${n(perKey)} per key`,
    expected: `both keys accepted; the new one within ${intervalSeconds} s; each accepted event delivered once`,
    note: (elapsed, attempts) =>
      `${ENVIRONMENT.keyRefreshIntervalSeconds}=${intervalSeconds}: the new key was accepted ${elapsed} after it was added (${attempts} attempts)`,
  },
  {
    scenario: 'Key rotation: old key removed',
    before: [],
    keys: ['new'],
    probe: { key: 'old', status: 401, failure: 'the removed key was not rejected within %s' },
    after: [
      ['[new]: old key', 'old', '401 unauthorized'],
      ['[new]: new key', 'new', '200 published'],
    ],
    sent: `secret [new]: old-key events until one is refused, then ${n(perKey)} per key`,
    expected: `old key 401 within ${intervalSeconds} s, new key accepted; nothing refused is delivered`,
    note: (elapsed, attempts) =>
      `the old key was first refused ${elapsed} after its removal (${attempts} attempts; interval ${intervalSeconds} s)`,
  },
];

/** Runs one phase: no 5xx, every batch answered as it must be, every accepted event delivered once. */
async function runPhase(
  pipeline: Pipeline,
  keys: Readonly<Record<Which, string>>,
  phase: Phase,
): Promise<ScenarioRow> {
  const checks = new Checks();
  const sendBatches = async (batches: readonly KeyBatch[]): Promise<PostResult[]> => {
    const sent: PostResult[] = [];
    for (const [label, key, answer] of batches) {
      const batch = await postAll(pipeline.receiver.url, freshEvents(perKey, keys[key]), 8);
      checks.equal(`${label} ${answer}`, batch.answers[answer] ?? 0, perKey);
      sent.push(...batch.results);
    }
    return sent;
  };
  const before = await sendBatches(phase.before);
  await pipeline.setKeys(phase.keys.map((which) => keys[which]));
  const probe = await pollUntil(pipeline, keys[phase.probe.key], phase.probe.status);
  checks.expect(
    probe.elapsedMs !== undefined && probe.elapsedMs <= intervalMs + SLACK_MS,
    `${phase.probe.failure.replace('%s', `${intervalSeconds} s + ${SLACK_MS} ms`)} (took ${String(probe.elapsedMs)} ms)`,
  );
  const sent = [...before, ...probe.sent, ...(await sendBatches(phase.after))];
  const accepted = published(sent);
  const count = countDeliveries(await pipeline.drain(accepted.length, 1_000), accepted);
  const answers = countAnswers(sent);
  checks.noServerErrors(answers);
  checks.equal('accepted events delivered', count.delivered, accepted.length);
  checks.equal('duplicate deliveries', count.duplicated, 0);
  checks.equal('deliveries of rejected events', count.unexpected, 0);
  const elapsed =
    probe.elapsedMs === undefined ? 'never' : `${(probe.elapsedMs / 1000).toFixed(2)} s`;
  return {
    scenario: phase.scenario,
    sent: phase.sent,
    answers,
    ...deliveryColumns(count),
    expected: phase.expected,
    failures: checks.failures,
    notes: [phase.note(elapsed, probe.sent.length)],
  };
}

describe('key rotation', () => {
  it('accepts both keys during a rotation and refuses the removed one within the refresh interval', async ({
    task,
  }) => {
    const newKey = newApiKey();
    const options = {
      environment: { [ENVIRONMENT.keyRefreshIntervalSeconds]: String(intervalSeconds) },
    };
    const rows = await runScenario(task, 'key-rotation', options, async ({ pipeline, key }) => {
      const rows: ScenarioRow[] = [];
      for (const phase of PHASES)
        rows.push(await runPhase(pipeline, { old: key, new: newKey }, phase));
      return rows;
    });

    expect(rows[1]?.answers['401 unauthorized']).toBeGreaterThanOrEqual(perKey + 1);
  });
});
