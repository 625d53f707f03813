/**
 * From Apideck to the subscriber's side effect, with faults on both sides.
 *
 * Apideck's stand-in emits fresh events and retries failed deliveries on its
 * own schedule (sped up); the real receiver answers them while a share of its
 * DynamoDB and SNS calls fail at random (hang, lost answer, 5xx, throttle,
 * reset). SNS delivers to the subscriber's queue (raw delivery, as the consumer
 * construct subscribes it), and Lambda's event source mapping, emulated, runs
 * the consumer kit's `createSqsHandler` with its idempotency table. Into the
 * subscriber's handler go crashes after the side effect, visibility timeouts
 * that end mid-handler, and duplicate messages.
 *
 * Target: every event's side effect completed, and exactly once, except that
 * each injected crash after the side effect runs it once more (the one kind of
 * extra run "at most one completed run" allows); nothing dead-lettered.
 */
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, PurgeQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { createSqsHandler, type EventHandlers } from '../../consumer/index.ts';
import {
  VAULT_CONNECTION_EVENT_TYPES,
  type VaultConnectionEventType,
} from '../../lambda/contract/event-catalogue.ts';
import { isJsonObject, parseJsonBody } from '../../lambda/domain/json-body.ts';
import { ScaledClock } from '../../tools/apideck/clock.ts';
import { ApideckStandIn, VALIDATION_EVENT_TYPE } from '../../tools/apideck/stand-in.ts';
import type { ProxyAction, ProxyRule } from '../../tools/emulator/fault-proxy.ts';
import {
  type EmulatorTarget,
  emulatorClientConfig,
  provisionConsumer,
  startEmulator,
} from '../../tools/emulator/index.ts';
import { eventIdOf } from './support/deliveries.ts';
import { startEventSource } from './support/event-source.ts';
import { leaseOptions } from './support/lease.ts';
import {
  Checks,
  increment,
  listCounts,
  n,
  requestLogs,
  type ScenarioRow,
} from './support/result.ts';
import { runScenario, type ScenarioContext } from './support/scenario.ts';
import { FULL_SIZE, SIZES } from './support/size.ts';
import { CONSUMER_FAULTS, type ConsumerFault, faultySubscriber } from './support/subscriber.ts';

const { endToEndEvents: events } = SIZES;

/** Share of the receiver's DynamoDB and SNS calls that fail, spread evenly over the kinds. */
const RECEIVER_FAULT_RATE = 0.05;
const RECEIVER_FAULTS: Readonly<Record<string, ProxyAction>> = {
  hang: { kind: 'hang' },
  'lost answer': { kind: 'lose-answer' },
  '5xx': { kind: 'unavailable' },
  throttle: { kind: 'throttle' },
  reset: { kind: 'reset' },
};
/** Share of the events each consumer fault is injected into (at least 3 events each). */
const CONSUMER_FAULT_RATES: Readonly<Record<ConsumerFault, number>> = {
  crash: 0.01,
  visibility: 0.005,
  duplicate: 0.01,
};
/**
 * The subscriber's function and queue. A batch takes well under a second, but
 * the function timeout leaves room for 2 busy cores: a timeout after the side
 * effect would be an extra run nobody injected. The construct sets the
 * visibility timeout to six times the function timeout; here it is only longer
 * than it (what correctness needs: a message reappears after its invocation
 * ended), which keeps a crash's recovery short.
 */
const CONSUMER = {
  functionTimeoutMs: 10_000,
  visibilityTimeoutSeconds: 12,
  maxReceiveCount: 5,
  batchSize: 10,
  batchingWindowMs: 1_000,
  concurrency: 5,
} as const;
/**
 * Apideck's retry schedule runs this much faster than real time: the 3-minute
 * first retry after 9 s, the 24-hour time-to-live after 72 minutes, longer than
 * a full run (at 60 times, a slow stretch of the emulator under a full run used
 * up one event's whole schedule, and Apideck disabled the subscription).
 */
const APIDECK_SPEED = 20;
/** Apideck's deliveries in flight at once (first attempts; its retries come on top). */
const APIDECK_CONCURRENCY = 8;
/** The receiver as deployed (10 s function timeout), with a 1 s lease margin: leases of 11 s at most. */
const RECEIVER = leaseOptions(10_000, 1);
/** After the last emit, how long the pipeline may go without progress before the scenario gives up on it. */
const STALL_MS = 90_000;

/** A random `rate` of `ids` (at least 3). */
function sample(ids: readonly string[], rate: number): string[] {
  const keyed = ids.map((id) => ({ id, key: Math.random() }));
  keyed.sort((a, b) => a.key - b.key);
  return keyed.slice(0, Math.max(3, Math.round(rate * ids.length))).map(({ id }) => id);
}

/**
 * Each of the receiver's DynamoDB and SNS calls fails with `RECEIVER_FAULT_RATE`;
 * the kinds take turns, so that every kind is injected as soon as a few faults are.
 */
function randomReceiverFaults(): ProxyRule {
  const kinds = Object.values(RECEIVER_FAULTS);
  let turn = 0;
  return (request) => {
    if (request.service !== 'dynamodb' && request.service !== 'sns') return undefined;
    if (Math.random() >= RECEIVER_FAULT_RATE) return undefined;
    return kinds[turn++ % kinds.length];
  };
}

async function mapConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Apideck's answers, as the report keys them: `<status> <status field>`, `no answer`. */
function apideckAnswers(apideck: ApideckStandIn): Record<string, number> {
  const answers = new Map<string, number>();
  for (const entry of apideck.eventLog()) {
    if (entry.event_type === VALIDATION_EVENT_TYPE) continue;
    const body = parseJsonBody(entry.response_body);
    const status = body.ok && isJsonObject(body.value) ? body.value.status : undefined;
    increment(
      answers,
      entry.status_code === 0 ? 'no answer' : `${entry.status_code} ${String(status ?? '?')}`,
    );
  }
  return Object.fromEntries(answers);
}

async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

/** The consumer's idempotency records, by `status` (Powertools' layout). */
async function recordStatuses(dynamodb: DynamoDBClient, tableName: string) {
  const statuses = new Map<string, number>();
  const pages = paginateScan(
    { client: dynamodb },
    {
      TableName: tableName,
      ConsistentRead: true,
      ProjectionExpression: '#s',
      ExpressionAttributeNames: { '#s': 'status' },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) increment(statuses, item.status?.S ?? '(none)');
  }
  return statuses;
}

/** Waits until `done`, giving up once `progress` has stayed the same for {@link STALL_MS}. */
async function settle(done: () => Promise<boolean>, progress: () => string): Promise<boolean> {
  let last = progress();
  let changedAt = Date.now();
  while (!(await done())) {
    if (Date.now() - changedAt > STALL_MS) return false;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = progress();
    if (now !== last) [last, changedAt] = [now, Date.now()];
  }
  return true;
}

async function endToEnd(scenario: ScenarioContext): Promise<ScenarioRow[]> {
  // The subscriber's table on a second emulator: one moto process is the bottleneck at full size.
  const tables = await startEmulator();
  try {
    return await endToEndWith(scenario, { endpoint: tables.endpoint, region: tables.region });
  } finally {
    await tables.stop();
  }
}

async function endToEndWith(
  { pipeline, emulator, key, fresh }: ScenarioContext,
  tables: EmulatorTarget,
): Promise<ScenarioRow[]> {
  const consumer = await provisionConsumer({
    ...emulator,
    topicArns: Object.values(pipeline.resources.topicArns),
    visibilityTimeoutSeconds: CONSUMER.visibilityTimeoutSeconds,
    maxReceiveCount: CONSUMER.maxReceiveCount,
    tableAt: tables,
  });
  const bodies = fresh(events);
  const ids = bodies.map(eventIdOf);
  const sqs = new SQSClient(emulatorClientConfig(emulator));
  const dynamodb = new DynamoDBClient(emulatorClientConfig(tables));
  const subscriber = faultySubscriber({
    sqs,
    queueUrl: consumer.queueUrl,
    plan: {
      crash: sample(ids, CONSUMER_FAULT_RATES.crash),
      visibility: sample(ids, CONSUMER_FAULT_RATES.visibility),
      duplicate: sample(ids, CONSUMER_FAULT_RATES.duplicate),
    },
    overlapCapMs: CONSUMER.functionTimeoutMs / 2,
  });
  const kitLog = new Map<string, number>();
  const note =
    (level: string) => (message: string, attributes: Readonly<Record<string, unknown>>) => {
      const error = attributes.error === undefined ? '' : ` (${String(attributes.error)})`;
      increment(kitLog, `${level} ${message}${error}:`);
    };
  const handlers = Object.fromEntries(
    VAULT_CONNECTION_EVENT_TYPES.map((type) => [
      type,
      (event: { event_id: string }) => subscriber.sideEffect(event.event_id),
    ]),
  ) as unknown as EventHandlers<VaultConnectionEventType>;
  const handler = createSqsHandler({
    handlers,
    idempotency: {
      tableName: consumer.idempotencyTableName,
      clientConfig: emulatorClientConfig(tables),
    },
    logger: { info: note('info'), warn: note('warn'), error: note('error') },
  });
  const source = startEventSource({
    sqs,
    queueUrl: consumer.queueUrl,
    queueArn: consumer.queueArn,
    region: emulator.region,
    handler,
    batchSize: CONSUMER.batchSize,
    batchingWindowMs: CONSUMER.batchingWindowMs,
    concurrency: CONSUMER.concurrency,
    functionTimeoutMs: CONSUMER.functionTimeoutMs,
    observer: subscriber.observer,
  });

  const apideck = new ApideckStandIn({
    applicationId: 'app-end-to-end',
    apiKey: key,
    clock: new ScaledClock(APIDECK_SPEED, Date.now()),
  });
  const lastAttempt = new Map<string, { success: boolean; retryAtMs: number | undefined }>();
  const attemptsPerEvent = new Map<string, number>();
  apideck.onAttempt((attempt) => {
    if (attempt.eventId === undefined) return;
    lastAttempt.set(attempt.eventId, attempt);
    increment(attemptsPerEvent, attempt.eventId);
  });
  const webhook = await apideck.createWebhook({
    unified_api: 'vault',
    status: 'enabled',
    delivery_url: pipeline.receiver.url,
    events: ['*'],
  });

  const { proxy } = pipeline;
  const callsBefore = {
    dynamodb: proxy.count({ service: 'dynamodb' }),
    sns: proxy.count({ service: 'sns' }),
  };
  const removeFaults = proxy.intercept(randomReceiverFaults());
  // The tap (every publish, kept by the receiver's provisioning) is not read here, and moto's time
  // per request grows with a queue that only fills (about threefold at 8,000 messages): it is
  // emptied every minute, as often as SQS allows a purge.
  const purgeTap = setInterval(() => {
    const purge = new PurgeQueueCommand({ QueueUrl: pipeline.resources.tapQueueUrl });
    sqs.send(purge).catch(() => undefined);
  }, 60_000);
  const startedAt = Date.now();
  let settled = false;
  try {
    const payloads = bodies.map(
      (body) =>
        (JSON.parse(body.body.toString('utf8')) as { payload: Record<string, unknown> }).payload,
    );
    await mapConcurrently(payloads, APIDECK_CONCURRENCY, (payload) => apideck.emit(payload));
    const emittedMs = Date.now() - startedAt;
    // Done: Apideck has nothing left to retry, every event completed, the queue is empty.
    const done = async () =>
      [...lastAttempt.values()].every((a) => a.success || a.retryAtMs === undefined) &&
      ids.every((id) => subscriber.runs.has(id)) &&
      (await queueDepth(sqs, consumer.queueUrl)) === 0;
    const progress = () =>
      `${apideck.attempts.length} ${subscriber.runs.size} ${source.figures.invocations}`;
    settled = await settle(done, progress);
    const settledMs = Date.now() - startedAt;
    removeFaults();
    await source.stop();
    return await figures({ emittedMs, settledMs });
  } finally {
    clearInterval(purgeTap);
    removeFaults();
    await source.stop();
    sqs.destroy();
    dynamodb.destroy();
  }

  async function figures(times: { emittedMs: number; settledMs: number }): Promise<ScenarioRow[]> {
    // Receiver side: what reached the queue, by event (injected copies aside).
    const published = new Map<string, number>();
    for (const [messageId, eventId] of subscriber.messages) {
      if (!subscriber.copies.has(messageId)) increment(published, eventId);
    }
    const wanted = new Set(ids);
    const reached = ids.filter((id) => published.has(id)).length;
    const receiverCopies = sum(published.values()) - published.size;
    const faultsBy = (service: string) =>
      listCounts(
        Object.entries(RECEIVER_FAULTS).map(([name, action]) => [
          name,
          proxy.count({ service, action: action.kind }),
        ]),
      );
    const injectedKinds = Object.entries(RECEIVER_FAULTS).map(
      ([name, action]) =>
        [
          name,
          proxy.count({ service: 'dynamodb', action: action.kind }) +
            proxy.count({ service: 'sns', action: action.kind }),
        ] as const,
    );
    const lostPublishAnswers = proxy.count({ operation: 'Publish', action: 'lose-answer' });
    const answers = apideckAnswers(apideck);
    const gaveUp = [...lastAttempt.values()].filter(
      (a) => !a.success && a.retryAtMs === undefined,
    ).length;
    const attempts = [...attemptsPerEvent.values()];
    const receiverChecks = new Checks();
    receiverChecks.expect(
      settled,
      `not settled: no progress for ${STALL_MS / 1000} s (Apideck's attempts, completed events, invocations)`,
    );
    receiverChecks.equal('events Apideck gave up on', gaveUp, 0);
    receiverChecks.equal(
      "the subscription's status",
      apideck.getWebhook(webhook.id)?.status,
      'enabled',
    );
    receiverChecks.equal('events that reached the queue', reached, events);
    receiverChecks.equal(
      'messages of unknown events',
      [...published.keys()].filter((id) => !wanted.has(id)).length,
      0,
    );
    // A publish the receiver cannot know the fate of (its answer lost, or its time budget spent
    // on a slow answer) is logged as a possible duplicate: each second copy must be one of those.
    const flagged = new Map<string, number>();
    for (const log of requestLogs(pipeline.receiver.lines)) {
      if (log.possible_duplicate === true) increment(flagged, String(log.event_id));
    }
    const unflagged = sum(
      [...published].map(([id, copies]) => Math.max(0, copies - 1 - (flagged.get(id) ?? 0))),
    );
    receiverChecks.equal(
      'second copies the receiver did not log as a possible duplicate',
      unflagged,
      0,
    );
    // A 502 (the function timed out) or a 503 is retried by Apideck; a 500 is a bug.
    receiverChecks.equal(
      '500 answers (an unexpected error in the receiver)',
      answers['500 error'] ?? 0,
      0,
    );
    for (const [name, count] of injectedKinds)
      receiverChecks.expect(count > 0, `no ${name} injected`);

    // Subscriber side: the ledger of side effects against the faults injected.
    const crashesOf = (id: string) => subscriber.injected.crash.get(id) ?? 0;
    const completed = ids.filter((id) => subscriber.runs.has(id)).length;
    const totalRuns = sum(subscriber.runs.values());
    const extraRuns = totalRuns - completed;
    const crashes = sum(subscriber.injected.crash.values());
    const unexplained = sum(
      ids.map((id) => Math.max(0, (subscriber.runs.get(id) ?? 0) - 1 - crashesOf(id))),
    );
    const crashedNotRerun = ids.filter(
      (id) => crashesOf(id) > 0 && (subscriber.runs.get(id) ?? 0) < 1 + crashesOf(id),
    ).length;
    const deadLettered = await queueDepth(sqs, consumer.deadLetterQueueUrl);
    const left = await queueDepth(sqs, consumer.queueUrl);
    const statuses = await recordStatuses(dynamodb, consumer.idempotencyTableName);
    const overlaps = subscriber.overlapOutcomes;
    const injectedCount = (fault: ConsumerFault) => sum(subscriber.injected[fault].values());
    const f = source.figures;
    const subscriberChecks = new Checks();
    subscriberChecks.equal('events completed', completed, events);
    subscriberChecks.equal('extra runs without an injected crash', unexplained, 0);
    subscriberChecks.equal('crashed events not run again', crashedNotRerun, 0);
    subscriberChecks.equal('messages dead-lettered', deadLettered, 0);
    subscriberChecks.equal('messages left in the queue', left, 0);
    const completedRecords = statuses.get('COMPLETED') ?? 0;
    subscriberChecks.equal('idempotency records COMPLETED', completedRecords, events);
    subscriberChecks.equal(
      'idempotency records of other statuses',
      sum(statuses.values()) - completedRecords,
      0,
    );
    subscriberChecks.equal('invocations timed out (not injected)', f.timedOut, 0);
    subscriberChecks.equal('invocations failed as a whole', f.failed, 0);
    // Records of a batch run side by side: two crashes may end one invocation.
    subscriberChecks.expect(
      f.crashed > 0 && f.crashed <= crashes,
      `${f.crashed} invocations crashed for ${crashes} injected crashes`,
    );
    subscriberChecks.equal(
      're-received messages acknowledged while their first run was going',
      overlaps.get('acknowledged') ?? 0,
      0,
    );
    subscriberChecks.expect(
      (overlaps.get('reported failed') ?? 0) > 0,
      'no message received again while its first run was going',
    );
    for (const fault of Object.keys(CONSUMER_FAULTS) as ConsumerFault[]) {
      subscriberChecks.expect(injectedCount(fault) > 0, `no ${CONSUMER_FAULTS[fault]} injected`);
    }

    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    return [
      {
        scenario: `End to end: Apideck to the topics (${n(events)} events)`,
        sent: `${n(events)} events emitted by Apideck's stand-in, concurrency ${APIDECK_CONCURRENCY}, retried on its schedule at ${APIDECK_SPEED}x speed; ${RECEIVER_FAULT_RATE * 100}% of the receiver's DynamoDB and SNS calls failed at random (hang, lost answer, 5xx, throttle, reset)`,
        answers,
        delivered: reached,
        duplicated: receiverCopies,
        lost: events - reached,
        expected: `every event reaches the queue; a second copy only where the receiver logged a possible duplicate; Apideck gives up on none`,
        failures: receiverChecks.failures,
        notes: [
          `faults injected on ${n(proxy.count({ service: 'dynamodb' }) - callsBefore.dynamodb)} DynamoDB calls: ${faultsBy('dynamodb')}`,
          `faults injected on ${n(proxy.count({ service: 'sns' }) - callsBefore.sns)} SNS calls: ${faultsBy('sns')}`,
          `Apideck: ${n(sum(attempts))} delivery attempts for ${n(events)} events (${n(sum(attempts) - events)} retries; at most ${Math.max(...attempts)} for one event), gave up on ${gaveUp}; the subscription stayed ${apideck.getWebhook(webhook.id)?.status}`,
          `published copies: ${n(published.size + receiverCopies)} for ${n(events)} events; ${n(receiverCopies)} second copies, each among the ${n(sum(flagged.values()))} possible duplicates the receiver logged (a publish whose answer was lost, hung or came after its time budget, or whose completion was not recorded; the proxy lost ${n(lostPublishAnswers)} answers to Publish)`,
          `emitted in ${seconds(times.emittedMs)}, settled (Apideck done, every event completed, queue empty) after ${seconds(times.settledMs)}`,
        ],
      },
      {
        scenario: `End to end: the queue to the subscriber's side effect (${n(events)} events)`,
        sent: `the topics' messages on an SQS queue (raw delivery; visibility timeout ${CONSUMER.visibilityTimeoutSeconds} s; dead-letter queue after ${CONSUMER.maxReceiveCount} receives), Lambda's event source mapping emulated (batches of ${CONSUMER.batchSize}, ${CONSUMER.concurrency} at a time, function timeout ${CONSUMER.functionTimeoutMs / 1000} s) running createSqsHandler with its idempotency table; injected: ${listCounts(
          Object.entries(CONSUMER_FAULTS).map(([fault, name]) => [
            name,
            injectedCount(fault as ConsumerFault),
          ]),
        )}`,
        answers: {
          'records acknowledged': f.recordsDeleted,
          'records reported failed': f.recordsReportedFailed,
          'invocations crashed (injected)': f.crashed,
          'invocations timed out': f.timedOut,
          'invocations failed': f.failed,
        },
        delivered: completed,
        duplicated: extraRuns,
        lost: events - completed,
        expected: `every event completed; an extra run only after an injected crash after the side effect (one each); nothing dead-lettered`,
        failures: subscriberChecks.failures,
        notes: [
          `completed runs of the subscriber's code: ${n(totalRuns)} for ${n(completed)} events; extra runs ${n(extraRuns)}: after a crash after the side effect ${n(extraRuns - unexplained)}, other causes ${n(unexplained)}`,
          `messages received: ${n(f.recordsReceived)} in ${n(f.invocations)} invocations; ${n(subscriber.messages.size)} distinct messages (${n(receiverCopies)} second copies from the receiver, ${n(subscriber.copies.size)} injected copies)`,
          `a visibility timeout ended mid-handler ${n(injectedCount('visibility'))} times; the other invocation of the message: ${listCounts(overlaps)}`,
          `the kit's log: ${listCounts(kitLog)}`,
          `idempotency records: ${listCounts(statuses)}; dead-lettered ${deadLettered}; ReceiveMessage/DeleteMessageBatch errors ${f.sqsErrors}`,
        ],
      },
    ];
  }
}

describe('end to end', () => {
  it(`completes each of ${events} events once at the subscriber, through receiver and consumer faults`, {
    // The full size runs for tens of minutes on 2 cores (the emulator is the bottleneck).
    timeout: FULL_SIZE ? 5_400_000 : 600_000,
  }, async ({ task }) => {
    const rows = await runScenario(task, 'end-to-end', RECEIVER, endToEnd);

    expect(rows[1]).toMatchObject({ delivered: events, lost: 0 });
  });
});
