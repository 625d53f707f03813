/**
 * Proves the emulator harness, and pins the emulator behaviours the handler
 * relies on, so a moto upgrade that changes them fails here first.
 */
import {
  ConditionalCheckFailedException,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DeleteTopicCommand,
  NotFoundException,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import { CATCH_ALL_ROUTE } from '../../lambda/contract/event-catalogue.ts';
import {
  IDEMPOTENCY_PARTITION_KEY,
  IDEMPOTENCY_TTL_ATTRIBUTE,
} from '../../lambda/contract/idempotency-record.ts';
import {
  drainTap,
  type EmulatorTarget,
  emulatorClientConfig,
  provisionReceiver,
  type ReceiverResources,
  setSigningKeys,
} from '../../tools/emulator/index.ts';

const target: EmulatorTarget = {
  endpoint: inject('emulatorEndpoint'),
  region: inject('emulatorRegion'),
};
const CREATED = 'vault.connection.created';
const DELETED = 'vault.connection.deleted';

describe('emulator harness', () => {
  const sns = new SNSClient(emulatorClientConfig(target));
  const dynamodb = new DynamoDBClient(emulatorClientConfig(target));
  const secrets = new SecretsManagerClient(emulatorClientConfig(target));
  let receiver: ReceiverResources;

  beforeAll(async () => {
    receiver = await provisionReceiver({
      ...target,
      eventTypes: [CREATED, DELETED],
      apiKeys: 'key-1',
      namePrefix: 'harness',
    });
  });

  afterAll(() => {
    for (const client of [sns, dynamodb, secrets]) client.destroy();
  });

  it('provisions the handler environment, a topic per type plus the catch-all', () => {
    expect(Object.keys(receiver.topicArns).sort()).toEqual(
      [CATCH_ALL_ROUTE, CREATED, DELETED].sort(),
    );
    expect(receiver.environment).toEqual({
      [ENVIRONMENT.tableName]: receiver.tableName,
      [ENVIRONMENT.topicArns]: JSON.stringify(receiver.topicArns),
      [ENVIRONMENT.signingSecretId]: receiver.secretId,
    });
  });

  it('enables TTL on the contract attribute', async () => {
    const ttl = await dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName: receiver.tableName }),
    );
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: IDEMPOTENCY_TTL_ATTRIBUTE,
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('taps a publish with its topic ARN, message id, body and attributes', async () => {
    const topicArn = receiver.topicArns[CREATED];
    const published = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify({ event_id: 'evt-1' }),
        MessageAttributes: { event_type: { DataType: 'String', StringValue: CREATED } },
      }),
    );

    const deliveries = await drainTap({
      ...target,
      queueUrl: receiver.tapQueueUrl,
      expectedCount: 1,
    });

    expect(deliveries).toEqual([
      {
        topicArn,
        messageId: published.MessageId,
        body: { event_id: 'evt-1' },
        attributes: { event_type: CREATED },
      },
    ]);
    expect(await drainTap({ ...target, queueUrl: receiver.tapQueueUrl, waitMs: 300 })).toEqual([]);
  });

  it('updates the signing keys', async () => {
    await setSigningKeys({ ...target, secretId: receiver.secretId, apiKeys: ['key-2', 'key-1'] });
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: receiver.secretId }));
    expect(JSON.parse(secret.SecretString ?? '')).toEqual(['key-2', 'key-1']);
  });

  it('returns the old item on a failed PutItem condition (ReturnValuesOnConditionCheckFailure)', async () => {
    const item = {
      [IDEMPOTENCY_PARTITION_KEY]: { S: 'evt-all-old' },
      status: { S: 'COMPLETED' },
    };
    await dynamodb.send(new PutItemCommand({ TableName: receiver.tableName, Item: item }));

    const failed = await dynamodb
      .send(
        new PutItemCommand({
          TableName: receiver.tableName,
          Item: { ...item, status: { S: 'IN_PROGRESS' } },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': IDEMPOTENCY_PARTITION_KEY },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    expect(failed).toBeInstanceOf(ConditionalCheckFailedException);
    expect((failed as ConditionalCheckFailedException).Item).toEqual(item);
  });

  it('fails a publish to a deleted topic with NotFound', async () => {
    const topicArn = receiver.topicArns[DELETED];
    await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));

    const failed = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: '{}' })).then(
      () => undefined,
      (error: unknown) => error,
    );

    // Real SNS says "Topic does not exist"; moto says "Endpoint does not exist". Same type, both 404.
    expect(failed).toBeInstanceOf(NotFoundException);
    expect((failed as NotFoundException).$metadata.httpStatusCode).toBe(404);
  });
});
