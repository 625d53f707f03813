/**
 * Creates, on an emulator, the AWS resources the webhook receiver needs (what the
 * CDK construct deploys), plus a "tap" queue that records every SNS publish;
 * and those of a subscriber (what the consumer construct deploys). Each call
 * gets its own random names, so tests can share one server.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import { CATCH_ALL_ROUTE, eventTypeIdentifier } from '../../lambda/contract/event-catalogue.ts';
import {
  IDEMPOTENCY_PARTITION_KEY,
  IDEMPOTENCY_TTL_ATTRIBUTE,
} from '../../lambda/contract/idempotency-record.ts';

/** SNS FIFO topic and SQS FIFO queue names must end with it. */
const FIFO_SUFFIX = '.fifo';

/** Where an emulator is reachable. */
export interface EmulatorTarget {
  readonly endpoint: string;
  readonly region: string;
}

/** AWS SDK v3 client configuration for an emulator (static test credentials). */
export interface EmulatorClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Options of {@link provisionReceiver}. */
export interface ProvisionReceiverOptions extends EmulatorTarget {
  /** Event types that get a topic of their own; the catch-all topic is always created. */
  readonly eventTypes: readonly string[];
  /** The signing key, or several (stored as a JSON array, as during a rotation). */
  readonly apiKeys: string | readonly string[];
  /** Start of every resource name; a random suffix is appended. Defaults to `webhooks`. */
  readonly namePrefix?: string;
  /**
   * SNS FIFO topics and an SQS FIFO tap queue (what the construct's `fifo`
   * prop deploys), and `FIFO_TOPICS=true` in the environment. Defaults to false.
   */
  readonly fifo?: boolean;
}

/** What {@link provisionReceiver} created. */
export interface ReceiverResources {
  readonly tableName: string;
  /** Event type -> topic ARN in the order given, then {@link CATCH_ALL_ROUTE} -> the catch-all topic's ARN. */
  readonly topicArns: Record<string, string>;
  /** ARN of the signing-key secret. */
  readonly secretId: string;
  /** SQS queue subscribed (with the SNS envelope) to every topic; read it with `drainTap`. */
  readonly tapQueueUrl: string;
  /** The handler's environment variables (see `lambda/contract/environment.ts`). */
  readonly environment: Record<string, string>;
}

/** Options of {@link setSigningKeys}. */
export interface SetSigningKeysOptions extends EmulatorTarget {
  readonly secretId: string;
  readonly apiKeys: string | readonly string[];
}

/** Client configuration pointing an AWS SDK v3 client at the emulator. */
export function emulatorClientConfig(target: EmulatorTarget): EmulatorClientConfig {
  return {
    endpoint: target.endpoint,
    region: target.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
}

/**
 * Creates the idempotency table (TTL enabled), one topic per event type plus the
 * catch-all topic, the signing secret and the tap queue subscribed to every topic.
 */
export async function provisionReceiver(
  options: ProvisionReceiverOptions,
): Promise<ReceiverResources> {
  const config = emulatorClientConfig(options);
  const base = `${options.namePrefix ?? 'webhooks'}-${randomBytes(4).toString('hex')}`;
  const dynamodb = new DynamoDBClient(config);
  const sns = new SNSClient(config);
  const secrets = new SecretsManagerClient(config);
  const sqs = new SQSClient(config);
  try {
    const tableName = `${base}-idempotency`;
    await createTable(dynamodb, tableName, IDEMPOTENCY_PARTITION_KEY, IDEMPOTENCY_TTL_ATTRIBUTE);

    const routes = [
      ...new Set(options.eventTypes.filter((type) => type !== CATCH_ALL_ROUTE)),
      CATCH_ALL_ROUTE,
    ];
    const fifo = options.fifo ?? false;
    const arns = await Promise.all(
      routes.map(async (route) => {
        const suffix = route === CATCH_ALL_ROUTE ? 'CatchAll' : eventTypeIdentifier(route);
        const created = await sns.send(
          new CreateTopicCommand({
            Name: `${base}-${suffix}${fifo ? FIFO_SUFFIX : ''}`,
            ...(fifo
              ? { Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'false' } }
              : {}),
          }),
        );
        return [route, required(created.TopicArn, 'CreateTopic TopicArn')] as const;
      }),
    );
    const topicArns: Record<string, string> = Object.fromEntries(arns);

    const secret = await secrets.send(
      new CreateSecretCommand({
        Name: `${base}-signing-keys`,
        SecretString: secretString(options.apiKeys),
      }),
    );
    const secretId = required(secret.ARN, 'CreateSecret ARN');

    // Not raw delivery: the envelope carries TopicArn and MessageAttributes, which tests assert on.
    const { queueUrl: tapQueueUrl } = await createSubscribedQueue(
      { sqs, sns },
      `${base}-tap`,
      Object.values(topicArns),
      { fifo },
    );

    return {
      tableName,
      topicArns,
      secretId,
      tapQueueUrl,
      environment: {
        [ENVIRONMENT.tableName]: tableName,
        [ENVIRONMENT.topicArns]: JSON.stringify(topicArns),
        [ENVIRONMENT.signingSecretId]: secretId,
        // Only when on: the standard environment stays the one the handler defaults to.
        ...(fifo ? { [ENVIRONMENT.fifo]: 'true' } : {}),
      },
    };
  } finally {
    for (const client of [dynamodb, sns, secrets, sqs]) client.destroy();
  }
}

/** Replaces the signing secret's value, e.g. to test a key rotation. */
export async function setSigningKeys(options: SetSigningKeysOptions): Promise<void> {
  const secrets = new SecretsManagerClient(emulatorClientConfig(options));
  try {
    await secrets.send(
      new PutSecretValueCommand({
        SecretId: options.secretId,
        SecretString: secretString(options.apiKeys),
      }),
    );
  } finally {
    secrets.destroy();
  }
}

/** Options of {@link provisionConsumer}. */
export interface ProvisionConsumerOptions extends EmulatorTarget {
  /** The topics the queue subscribes to, with raw message delivery. */
  readonly topicArns: readonly string[];
  /** The queue's visibility timeout in seconds. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives after which a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Start of every resource name; a random suffix is appended. Defaults to `consumer`. */
  readonly namePrefix?: string;
  /** Where the idempotency table is created (another emulator spreads the load). Defaults to the queues' emulator. */
  readonly tableAt?: EmulatorTarget;
}

/** What {@link provisionConsumer} created. */
export interface ConsumerResources {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterQueueUrl: string;
  /** The consumer kit's idempotency table: partition key `id`, TTL attribute `expiration`. */
  readonly idempotencyTableName: string;
}

/** Powertools Idempotency's table layout, which the consumer kit uses. */
const CONSUMER_TABLE = { partitionKey: 'id', ttlAttribute: 'expiration' } as const;

/**
 * Creates what the consumer construct deploys for a subscriber (standard
 * queues): a queue subscribed with raw delivery to `topicArns`, its
 * dead-letter queue (redrive after `maxReceiveCount` receives), and the
 * idempotency table of the consumer kit.
 */
export async function provisionConsumer(
  options: ProvisionConsumerOptions,
): Promise<ConsumerResources> {
  const config = emulatorClientConfig(options);
  const base = `${options.namePrefix ?? 'consumer'}-${randomBytes(4).toString('hex')}`;
  const dynamodb = new DynamoDBClient(emulatorClientConfig(options.tableAt ?? options));
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  try {
    const idempotencyTableName = `${base}-idempotency`;
    await createTable(
      dynamodb,
      idempotencyTableName,
      CONSUMER_TABLE.partitionKey,
      CONSUMER_TABLE.ttlAttribute,
    );
    const deadLetter = await createSubscribedQueue({ sqs, sns }, `${base}-dlq`, [], {
      fifo: false,
    });
    const queue = await createSubscribedQueue({ sqs, sns }, `${base}-queue`, options.topicArns, {
      fifo: false,
      raw: true,
      attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: deadLetter.queueArn,
          maxReceiveCount: options.maxReceiveCount,
        }),
      },
    });
    return { ...queue, deadLetterQueueUrl: deadLetter.queueUrl, idempotencyTableName };
  } finally {
    for (const client of [dynamodb, sns, sqs]) client.destroy();
  }
}

async function createTable(
  dynamodb: DynamoDBClient,
  tableName: string,
  partitionKey: string,
  ttlAttribute: string,
): Promise<void> {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
    }),
  );
}

/** A queue subscribed to `topicArns` (with the SNS envelope unless `raw`). */
async function createSubscribedQueue(
  clients: { readonly sqs: SQSClient; readonly sns: SNSClient },
  queueName: string,
  topicArns: readonly string[],
  options: {
    readonly fifo: boolean;
    readonly raw?: boolean;
    readonly attributes?: Record<string, string>;
  },
): Promise<{ readonly queueUrl: string; readonly queueArn: string }> {
  const { sqs, sns } = clients;
  const created = await sqs.send(
    new CreateQueueCommand(
      options.fifo
        ? {
            QueueName: `${queueName}${FIFO_SUFFIX}`,
            // No content-based deduplication: only the deduplication id SNS passes on counts.
            Attributes: {
              FifoQueue: 'true',
              ContentBasedDeduplication: 'false',
              ...options.attributes,
            },
          }
        : { QueueName: queueName, Attributes: options.attributes },
    ),
  );
  const queueUrl = required(created.QueueUrl, 'CreateQueue QueueUrl');
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = required(attributes.Attributes?.QueueArn, 'QueueArn');
  if (topicArns.length === 0) return { queueUrl, queueArn };
  // moto delivers without it, but real SQS drops SNS deliveries unless the queue policy allows them.
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArns } },
      },
    ],
  };
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: queueUrl,
      Attributes: { Policy: JSON.stringify(policy) },
    }),
  );
  await Promise.all(
    topicArns.map((topicArn) =>
      sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: queueArn,
          ...(options.raw ? { Attributes: { RawMessageDelivery: 'true' } } : {}),
        }),
      ),
    ),
  );
  return { queueUrl, queueArn };
}

function secretString(apiKeys: string | readonly string[]): string {
  return typeof apiKeys === 'string' ? apiKeys : JSON.stringify(apiKeys);
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`emulator response without ${what}`);
  return value;
}
