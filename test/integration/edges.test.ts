/**
 * The delivery guarantee at its edges, with the real handler
 * talking to the emulator through the fault-injecting HTTP proxy: calls that
 * hang, stall after their headers, trickle, or lose their answer after the
 * service acted; and validly signed events with values SNS cannot carry.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { IDEMPOTENCY_ATTRIBUTES } from '../../lambda/contract/idempotency-record.ts';
import { type FaultProxy, startFaultProxy } from '../../tools/emulator/fault-proxy.ts';
import { faultsPerTest } from './fault-rules.ts';
import { freshEvent, type ReceiverUnderTest, startReceiver, statusOf } from './receiver-harness.ts';

/** A short invocation, so that a hung call shows within seconds. */
const REMAINING_TIME_MS = 6_000;

let proxy: FaultProxy;
let receiver: ReceiverUnderTest;

beforeAll(async () => {
  proxy = await startFaultProxy({ target: inject('emulatorEndpoint') });
  receiver = await startReceiver(
    { KEY_REFRESH_INTERVAL_SECONDS: '1' },
    { awsEndpoint: proxy.endpoint },
  );
});

afterAll(async () => {
  await proxy.close();
});

const onOperation = faultsPerTest(() => proxy);

interface LoggedLine {
  readonly message?: string;
  readonly event_id?: string;
  readonly [field: string]: unknown;
}

function parsedLines(): LoggedLine[] {
  return receiver.lines.map((line) => JSON.parse(line) as LoggedLine);
}

/** The request log line of the last delivery of `eventId`. */
function logLineOf(eventId: string): LoggedLine | undefined {
  return parsedLines()
    .filter((line) => line.message === 'webhook delivery' && line.event_id === eventId)
    .at(-1);
}

/** The EMF count metrics written for the last delivery of `eventId`. */
function metricsOf(eventId: string): string[] {
  const lines = parsedLines();
  const index = lines.findLastIndex(
    (line) => line.message === 'webhook delivery' && line.event_id === eventId,
  );
  const emf = lines[index + 1] as
    | { _aws?: { CloudWatchMetrics?: Array<{ Metrics: Array<{ Name: string; Unit: string }> }> } }
    | undefined;
  return (emf?._aws?.CloudWatchMetrics?.[0]?.Metrics ?? [])
    .filter((metric) => metric.Unit === 'Count')
    .map((metric) => metric.Name);
}

function idOf(event: { payload: Record<string, unknown> }): string {
  return String(event.payload.event_id);
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  const startedAt = Date.now();
  const value = await work;
  return { value, elapsedMs: Date.now() - startedAt };
}

describe('a hung AWS call', () => {
  it.each([
    ['never answers', { kind: 'hang' }],
    ['sends its headers, then stalls', { kind: 'stall-after-headers' }],
    ['trickles bytes', { kind: 'trickle', intervalMs: 100 }],
  ] as const)(
    'when marking the claim completed %s, answers 200 inside the invocation and counts CompletionFailed',
    async (_, action) => {
      // The completion, not the retention ledger's update: only it sets the SNS message id.
      onOperation('UpdateItem', action, Number.POSITIVE_INFINITY, IDEMPOTENCY_ATTRIBUTES.messageId);
      const event = freshEvent();
      const { value: response, elapsedMs } = await timed(
        receiver.deliver(event, undefined, REMAINING_TIME_MS),
      );
      expect({
        status: response.statusCode,
        body: statusOf(response),
        inTime: elapsedMs < REMAINING_TIME_MS,
        completed: logLineOf(idOf(event))?.completed,
        metrics: metricsOf(idOf(event)),
        delivered: (await receiver.drain(1)).length,
      }).toEqual({
        status: 200,
        body: 'published',
        inTime: true,
        completed: false,
        metrics: ['Received', 'Published', 'CompletionFailed'],
        delivered: 1,
      });
    },
  );

  it('when the claim write never answers, answers 503 inside the invocation, logged and counted', async () => {
    onOperation('PutItem', { kind: 'hang' });
    const event = freshEvent();
    const { value: response, elapsedMs } = await timed(
      receiver.deliver(event, undefined, REMAINING_TIME_MS),
    );
    expect({
      status: response.statusCode,
      inTime: elapsedMs < REMAINING_TIME_MS,
      outcome: logLineOf(idOf(event))?.outcome,
      metrics: metricsOf(idOf(event)),
      delivered: (await receiver.drain()).length,
    }).toEqual({
      status: 503,
      inTime: true,
      outcome: 'unavailable',
      metrics: ['Received', 'DependencyError'],
      delivered: 0,
    });
  });

  it('when a re-read of the signing secret trickles, answers 503 inside the invocation', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    onOperation('GetSecretValue', { kind: 'trickle', intervalMs: 100 });
    const { value: response, elapsedMs } = await timed(
      receiver.deliver(freshEvent(), 'a-key-nobody-configured', REMAINING_TIME_MS),
    );
    expect({ status: response.statusCode, inTime: elapsedMs < REMAINING_TIME_MS }).toEqual({
      status: 503,
      inTime: true,
    });
  });
});

describe('a publish whose outcome is uncertain', () => {
  it('is not retried by the SDK when its answer is lost after SNS took it', async () => {
    onOperation('Publish', { kind: 'lose-answer' }, 1);
    const before = proxy.count({ operation: 'Publish' });
    const response = await receiver.deliver(freshEvent(), undefined, REMAINING_TIME_MS);
    expect({
      status: response.statusCode,
      publishRequests: proxy.count({ operation: 'Publish' }) - before,
      delivered: (await receiver.drain(1)).length,
    }).toEqual({ status: 503, publishRequests: 1, delivered: 1 });
  });

  it('is counted as PublishUncertain and logged as a possible duplicate naming the event id', async () => {
    onOperation('Publish', { kind: 'lose-answer' }, 1);
    const event = freshEvent();
    await receiver.deliver(event, undefined, REMAINING_TIME_MS);
    await receiver.drain(1);
    expect({
      metrics: metricsOf(idOf(event)),
      possibleDuplicate: logLineOf(idOf(event))?.possible_duplicate,
    }).toEqual({
      metrics: ['Received', 'DependencyError', 'PublishFailed', 'PublishUncertain'],
      possibleDuplicate: true,
    });
  });

  it('is published again by the retry that follows: the counted duplicate, and no other', async () => {
    onOperation('Publish', { kind: 'lose-answer' }, 1);
    const event = freshEvent();
    await receiver.deliver(event, undefined, REMAINING_TIME_MS);
    const retry = await receiver.deliver(event, undefined, REMAINING_TIME_MS);
    const again = await receiver.deliver(event, undefined, REMAINING_TIME_MS);
    expect({
      retry: statusOf(retry),
      again: statusOf(again),
      delivered: (await receiver.drain(2)).map((delivery) => delivery.attributes.event_id),
    }).toEqual({ retry: 'published', again: 'duplicate', delivered: [idOf(event), idOf(event)] });
  });

  it('is retried when SNS refused it with a 503, and published once', async () => {
    onOperation('Publish', { kind: 'unavailable' }, 2);
    const event = freshEvent();
    const before = proxy.count({ operation: 'Publish' });
    const response = await receiver.deliver(event, undefined, REMAINING_TIME_MS);
    expect({
      status: statusOf(response),
      publishRequests: proxy.count({ operation: 'Publish' }) - before,
      metrics: metricsOf(idOf(event)),
      delivered: (await receiver.drain(1)).length,
    }).toEqual({
      status: 'published',
      publishRequests: 3,
      metrics: ['Received', 'Published'],
      delivered: 1,
    });
  });
});

describe('a claim whose answer is lost', () => {
  it('recognises its own record on the SDK retry and publishes once, answering 200', async () => {
    onOperation('PutItem', { kind: 'lose-answer' }, 1);
    const event = freshEvent();
    const response = await receiver.deliver(event, undefined, REMAINING_TIME_MS);
    expect({
      status: response.statusCode,
      body: statusOf(response),
      delivered: (await receiver.drain(1)).length,
      resent: statusOf(await receiver.deliver(event, undefined, REMAINING_TIME_MS)),
    }).toEqual({ status: 200, body: 'published', delivered: 1, resent: 'duplicate' });
  });
});

describe('poison values in a validly signed event', () => {
  it.each(['consumer_id', 'unified_api', 'service_id'])(
    'publishes an event whose entity.%s holds a lone surrogate, without that attribute, and counts it',
    async (field) => {
      const base = freshEvent();
      const entity = {
        ...(base.payload.entity as Record<string, unknown>),
        [field]: 'user-\ud83d',
      };
      const event = { ...base, payload: { ...base.payload, entity } };
      const response = await receiver.deliver(event);
      const [delivery] = await receiver.drain(1);
      const attribute = field === 'service_id' ? 'connector' : field;
      expect({
        status: statusOf(response),
        hasAttribute: delivery !== undefined && attribute in delivery.attributes,
        body: delivery?.body,
        metrics: metricsOf(idOf(event)),
      }).toEqual({
        status: 'published',
        hasAttribute: false,
        body: event.payload,
        metrics: ['Received', 'Published', 'AttributeDropped'],
      });
    },
  );

  it('publishes an event whose entity_id holds a control character, without the attribute', async () => {
    const event = freshEvent({ payload: { entity_id: 'crm+\u0001salesforce' } });
    const response = await receiver.deliver(event);
    const [delivery] = await receiver.drain(1);
    expect({ status: statusOf(response), attributes: delivery?.attributes.entity_id }).toEqual({
      status: 'published',
      attributes: undefined,
    });
  });

  it('publishes an event whose event_id holds a lone surrogate once, and refuses its retry as a duplicate', async () => {
    const event = freshEvent({ payload: { event_id: `evt-${randomUUID()}-\udc00` } });
    const first = await receiver.deliver(event);
    const retry = await receiver.deliver(event);
    expect({
      first: statusOf(first),
      retry: statusOf(retry),
      delivered: (await receiver.drain(1)).length,
    }).toEqual({ first: 'published', retry: 'duplicate', delivered: 1 });
  });

  it('publishes an event whose event_type holds a lone surrogate to the catch-all topic', async () => {
    const event = freshEvent({ payload: { event_type: 'vault.connection.\ud800created' } });
    const response = await receiver.deliver(event);
    const [delivery] = await receiver.drain(1);
    expect({ status: statusOf(response), topic: delivery?.topicArn }).toEqual({
      status: 'published',
      topic: receiver.resources.topicArns['*'],
    });
  });
});

describe('a partial envelope', () => {
  it('answers 400 invalid_envelope for a payload with event_id and occurred_at but no event_type', async () => {
    const response = await receiver.deliver({
      payload: { event_id: randomUUID(), occurred_at: new Date().toISOString() },
    });
    expect({ status: response.statusCode, body: statusOf(response) }).toEqual({
      status: 400,
      body: 'invalid_envelope',
    });
  });

  it("answers 200 ignored for Apideck's URL-validation body", async () => {
    const response = await receiver.deliver('{"message":"Validating delivery URL"}');
    expect({ status: response.statusCode, body: statusOf(response) }).toEqual({
      status: 200,
      body: 'ignored',
    });
  });
});
