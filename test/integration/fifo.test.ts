/**
 * FIFO mode with the real handler against the emulator: SNS FIFO
 * topics and an SQS FIFO tap queue, the handler talking through the fault
 * proxy. The two windows where standard topics deliver an event twice (a
 * publish whose answer was lost, a publish whose completion was not recorded)
 * deliver it once here.
 *
 * What this shows, precisely (docs/fifo.md): moto's SNS does not deduplicate;
 * it passes each publish's MessageDeduplicationId and MessageGroupId on to the
 * SQS FIFO queue, and moto's SQS FIFO queue drops a message whose
 * deduplication id matches one still in the queue (real SQS: any sent within 5
 * minutes). So the tap is read only after the second publish.
 */
import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import { VAULT_CONNECTION_EVENT_TYPES } from '../../lambda/contract/event-catalogue.ts';
import {
  IDEMPOTENCY_ATTRIBUTES,
  IDEMPOTENCY_PARTITION_KEY,
} from '../../lambda/contract/idempotency-record.ts';
import { type FaultProxy, startFaultProxy } from '../../tools/emulator/fault-proxy.ts';
import { emulatorClientConfig, provisionReceiver } from '../../tools/emulator/index.ts';
import { VECTOR_KEY } from '../support/apideck-events.ts';
import { faultsPerTest } from './fault-rules.ts';
import { freshEvent, type ReceiverUnderTest, startReceiver, statusOf } from './receiver-harness.ts';

const REMAINING_TIME_MS = 6_000;

let proxy: FaultProxy;
let receiver: ReceiverUnderTest;
let sqs: SQSClient;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  const target = { endpoint: inject('emulatorEndpoint'), region: inject('emulatorRegion') };
  proxy = await startFaultProxy({ target: target.endpoint });
  const resources = await provisionReceiver({
    ...target,
    eventTypes: VAULT_CONNECTION_EVENT_TYPES,
    apiKeys: VECTOR_KEY,
    fifo: true,
  });
  receiver = await startReceiver({}, { awsEndpoint: proxy.endpoint, resources });
  sqs = new SQSClient(emulatorClientConfig(target));
  dynamodb = new DynamoDBClient(emulatorClientConfig(target));
});

afterAll(async () => {
  sqs.destroy();
  dynamodb.destroy();
  await proxy.close();
});

const onOperation = faultsPerTest(() => proxy);

interface FifoDelivery {
  readonly eventId: string | undefined;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
}

/** Everything on the FIFO tap queue until it has been quiet for a second, received and deleted. */
async function drainFifoTap(): Promise<FifoDelivery[]> {
  const messages: Message[] = [];
  for (;;) {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: receiver.resources.tapQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
      }),
    );
    const batch = received.Messages ?? [];
    if (batch.length === 0) break;
    messages.push(...batch);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: receiver.resources.tapQueueUrl,
        Entries: batch.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
        })),
      }),
    );
  }
  return messages.map((message) => {
    const envelope = JSON.parse(message.Body ?? '{}') as {
      MessageAttributes?: Record<string, { Value: string }>;
    };
    return {
      eventId: envelope.MessageAttributes?.event_id?.Value,
      groupId: message.Attributes?.MessageGroupId,
      deduplicationId: message.Attributes?.MessageDeduplicationId,
    };
  });
}

function idOf(event: { payload: Record<string, unknown> }): string {
  return String(event.payload.event_id);
}

describe('FIFO mode against the emulator', () => {
  it('cold-starts on .fifo topics with FIFO_TOPICS=true', () => {
    expect({
      mode: receiver.resources.environment[ENVIRONMENT.fifo],
      topics: Object.values(receiver.resources.topicArns).every((arn) => arn.endsWith('.fifo')),
      queue: receiver.resources.tapQueueUrl.endsWith('.fifo'),
    }).toEqual({ mode: 'true', topics: true, queue: true });
  });

  it('publishes with the event id as deduplication id and the connection as message group', async () => {
    const event = freshEvent({ payload: { entity_id: 'conn-fifo-1' } });
    const response = await receiver.deliver(event, undefined, REMAINING_TIME_MS);
    expect({ status: statusOf(response), delivered: await drainFifoTap() }).toEqual({
      status: 'published',
      delivered: [{ eventId: idOf(event), groupId: 'conn-fifo-1', deduplicationId: idOf(event) }],
    });
  });

  it('delivers once when the answer of a publish was lost and the event is published again', async () => {
    onOperation('Publish', { kind: 'lose-answer' }, 1);
    const before = proxy.count({ operation: 'Publish' });
    const event = freshEvent();
    const first = await receiver.deliver(event, undefined, REMAINING_TIME_MS);
    const retry = await receiver.deliver(event, undefined, REMAINING_TIME_MS);
    expect({
      first: first.statusCode,
      retry: statusOf(retry),
      publishRequestsAtLeast2: proxy.count({ operation: 'Publish' }) - before >= 2,
      delivered: (await drainFifoTap()).map((delivery) => delivery.eventId),
    }).toEqual({
      first: 200,
      retry: 'duplicate',
      publishRequestsAtLeast2: true,
      delivered: [idOf(event)],
    });
  });

  it('delivers once when a published event is published again because its completion was never recorded', async () => {
    // The completion (it alone sets the SNS message id) fails on every attempt.
    onOperation('UpdateItem', { kind: 'unavailable' }, 10, IDEMPOTENCY_ATTRIBUTES.messageId);
    const event = freshEvent();
    const first = await receiver.deliver(event, undefined, REMAINING_TIME_MS);
    // Stands in for the lease running out: the retry finds no completed record and publishes again.
    await dynamodb.send(
      new DeleteItemCommand({
        TableName: receiver.resources.tableName,
        Key: { [IDEMPOTENCY_PARTITION_KEY]: { S: idOf(event) } },
      }),
    );
    const retry = await receiver.deliver(event, undefined, REMAINING_TIME_MS);
    expect({
      first: statusOf(first),
      retry: statusOf(retry),
      delivered: (await drainFifoTap()).map((delivery) => delivery.eventId),
    }).toEqual({ first: 'published', retry: 'published', delivered: [idOf(event)] });
  });
});
