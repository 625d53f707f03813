import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { VAULT_CONNECTION_EVENT_TYPES } from '../../lambda/contract/event-catalogue.ts';
import { IDEMPOTENCY_PARTITION_KEY } from '../../lambda/contract/idempotency-record.ts';
import { emulatorClientConfig } from '../../tools/emulator/index.ts';
import { freshEvent, type ReceiverUnderTest, startReceiver, statusOf } from './receiver-harness.ts';

let receiver: ReceiverUnderTest;

beforeAll(async () => {
  receiver = await startReceiver();
});

function eventIdOf(body: { payload: Record<string, unknown> }): string {
  return String(body.payload.event_id);
}

async function storedRecord(eventId: string) {
  const dynamodb = new DynamoDBClient(emulatorClientConfig(receiver.target));
  const { Item } = await dynamodb.send(
    new GetItemCommand({
      TableName: receiver.resources.tableName,
      Key: { [IDEMPOTENCY_PARTITION_KEY]: { S: eventId } },
      ConsistentRead: true,
    }),
  );
  return Item;
}

describe('the receiver against the emulator', () => {
  it.each(VAULT_CONNECTION_EVENT_TYPES)(
    'publishes %s once, on its own topic, with its attributes',
    async (type) => {
      const event = freshEvent({ type });
      const response = await receiver.deliver(event);
      const deliveries = await receiver.drain();

      expect({ status: response.statusCode, body: statusOf(response) }).toEqual({
        status: 200,
        body: 'published',
      });
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]?.topicArn).toBe(receiver.resources.topicArns[type]);
      expect(deliveries[0]?.body).toEqual(event.payload);
      const entity = event.payload.entity as Record<string, unknown>;
      expect(deliveries[0]?.attributes).toEqual({
        event_type: type,
        event_id: eventIdOf(event),
        entity_id: event.payload.entity_id,
        connector: entity.service_id,
        unified_api: entity.unified_api,
        consumer_id: entity.consumer_id,
      });
    },
  );

  it('publishes an event of an unlisted type on the catch-all topic', async () => {
    const event = freshEvent({ payload: { event_type: 'vault.connection.teleported' } });
    const response = await receiver.deliver(event);
    const deliveries = await receiver.drain();

    expect(statusOf(response)).toBe('published');
    expect(deliveries.map((delivery) => delivery.topicArn)).toEqual([
      receiver.resources.topicArns['*'],
    ]);
  });

  it('answers a retry with a higher execution_attempt as a duplicate and publishes nothing more', async () => {
    const event = freshEvent();
    await receiver.deliver(event);
    await receiver.drain(1);
    const retry = { payload: { ...event.payload, execution_attempt: 2 } };
    const response = await receiver.deliver(retry);
    const deliveries = await receiver.drain();

    expect({ status: response.statusCode, body: statusOf(response) }).toEqual({
      status: 200,
      body: 'duplicate',
    });
    expect(deliveries).toHaveLength(0);
  });

  it('publishes exactly one message for 20 concurrent deliveries of one new event', async () => {
    const event = freshEvent();
    const responses = await Promise.all(Array.from({ length: 20 }, () => receiver.deliver(event)));
    const deliveries = await receiver.drain();

    expect(
      deliveries.filter((delivery) => delivery.attributes.event_id === eventIdOf(event)),
    ).toHaveLength(1);
    expect(responses.filter((response) => statusOf(response) === 'published')).toHaveLength(1);
    expect(responses.every((response) => [200, 409].includes(response.statusCode))).toBe(true);
  });

  it('answers 503 and releases the claim when publishing fails, then publishes once on the retry', async () => {
    const type = 'vault.connection.revoked';
    const topicArn = receiver.resources.topicArns[type] ?? '';
    const config = emulatorClientConfig(receiver.target);
    const sns = new SNSClient(config);
    const event = freshEvent({ type });
    await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));

    const failed = await receiver.deliver(event);
    const recordAfterFailure = await storedRecord(eventIdOf(event));

    const recreated = await sns.send(new CreateTopicCommand({ Name: topicArn.split(':').at(-1) }));
    const { Attributes } = await new SQSClient(config).send(
      new GetQueueAttributesCommand({
        QueueUrl: receiver.resources.tapQueueUrl,
        AttributeNames: ['QueueArn'],
      }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: recreated.TopicArn,
        Protocol: 'sqs',
        Endpoint: Attributes?.QueueArn,
      }),
    );
    const retried = await receiver.deliver({ payload: { ...event.payload, execution_attempt: 2 } });
    const deliveries = await receiver.drain();

    expect({ status: failed.statusCode, retryAfter: failed.headers?.['retry-after'] }).toEqual({
      status: 503,
      retryAfter: '30',
    });
    expect(recordAfterFailure).toBeUndefined();
    expect(recreated.TopicArn).toBe(topicArn);
    expect(statusOf(retried)).toBe('published');
    expect(
      deliveries.filter((delivery) => delivery.attributes.event_id === eventIdOf(event)),
    ).toHaveLength(1);
  });

  it('answers 401 to a wrong signature and writes nothing to DynamoDB', async () => {
    const dynamodb = new DynamoDBClient(emulatorClientConfig(receiver.target));
    const before = await dynamodb.send(
      new ScanCommand({ TableName: receiver.resources.tableName, Select: 'COUNT' }),
    );
    const response = await receiver.deliver(freshEvent(), 'sk_live_not_the_right_key');
    const after = await dynamodb.send(
      new ScanCommand({ TableName: receiver.resources.tableName, Select: 'COUNT' }),
    );

    expect({ status: response.statusCode, body: statusOf(response) }).toEqual({
      status: 401,
      body: 'unauthorized',
    });
    expect(after.Count).toBe(before.Count);
  });

  it('marks a published event COMPLETED with its SNS message id', async () => {
    const event = freshEvent();
    await receiver.deliver(event);
    const [delivery] = await receiver.drain(1);
    const record = await storedRecord(eventIdOf(event));

    expect(record?.status?.S).toBe('COMPLETED');
    expect(record?.sns_message_id?.S).toBe(delivery?.messageId);
  });

  it('writes one log line per request that names the event and never the key', async () => {
    const event = freshEvent();
    const linesBefore = receiver.lines.length;
    await receiver.deliver(event);
    await receiver.drain(1);
    const written = receiver.lines.slice(linesBefore);
    const logLine = written
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.message === 'webhook delivery');

    expect(logLine).toMatchObject({
      event_id: eventIdOf(event),
      outcome: 'published',
      status_code: 200,
    });
    expect(written.join('\n')).not.toContain('sk_test_apideck_example_key');
  });
});
