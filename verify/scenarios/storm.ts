/**
 * Duplicate storm: `copies` concurrent deliveries of one new event. Exactly one
 * may publish; the others are answered `duplicate` (the claim was completed) or
 * 409 `in_progress` (it was still being published).
 */
import { countAnswers, eventIdOf, freshEvents, latencyNote, newApiKey, postAll } from './events.ts';
import { type ScenarioEnvironment, startPipeline } from './pipeline.ts';
import { answersStartingWith, Checks, countDeliveries, n, type ScenarioResult } from './result.ts';

export interface StormOptions {
  readonly copies: number;
}

export async function runStorm(
  environment: ScenarioEnvironment,
  options: StormOptions,
): Promise<ScenarioResult> {
  const started = Date.now();
  const { copies } = options;
  const key = newApiKey();
  const pipeline = await startPipeline(environment, { apiKeys: key });
  try {
    const [event] = freshEvents(1, key);
    if (event === undefined) throw new Error('no event');
    environment.log?.(`storm: ${copies} concurrent copies of one event`);
    const sendStarted = performance.now();
    const results = await postAll(
      pipeline.receiver.url,
      Array.from({ length: copies }, () => event),
      copies,
    );
    const elapsed = performance.now() - sendStarted;
    const answers = countAnswers(results);
    const deliveries = await pipeline.drain(1, 2_000);
    const count = countDeliveries(deliveries, [eventIdOf(event)]);
    const checks = new Checks();
    checks.equal('200 published answers', answers['200 published'] ?? 0, 1);
    checks.equal(
      'answers other than published, duplicate or in_progress',
      copies -
        (answers['200 published'] ?? 0) -
        (answers['200 duplicate'] ?? 0) -
        (answers['409 in_progress'] ?? 0),
      0,
    );
    checks.equal('5xx answers', answersStartingWith(answers, '5'), 0);
    checks.equal('deliveries', count.total, 1);
    return {
      name: 'storm',
      durationMs: Date.now() - started,
      rows: [
        {
          scenario: 'Duplicate storm',
          sent: `${n(copies)} concurrent copies of one new event`,
          answers,
          delivered: count.delivered,
          duplicated: count.duplicated + count.unexpected,
          lost: count.lost,
          expected: 'exactly 1 delivery; the rest 200 duplicate or 409 in_progress',
          failures: checks.failures,
          notes: [latencyNote(results, elapsed)],
        },
      ],
    };
  } finally {
    await pipeline.stop();
  }
}
