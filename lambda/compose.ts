import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDbIdempotencyStore } from './adapters/dynamodb-idempotency-store.ts';
import { SecretsManagerSecretReader } from './adapters/secrets-manager-secret-reader.ts';
import { SnsEventPublisher } from './adapters/sns-event-publisher.ts';
import type { ReceiverConfig } from './config.ts';
import { createDeliveryReceiver, type DeliveryReceiver } from './domain/receive-delivery.ts';
import { createRouter } from './domain/routing.ts';
import { SigningKeyRing } from './domain/signing-key-ring.ts';

const HOUR_MS = 3_600_000;

/**
 * Short timeouts: API Gateway gives up after 29 s and Apideck retries anyway,
 * so a hung connection is better failed fast (503) than waited on.
 */
const CLIENT_OPTIONS = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
} as const;

/** The AWS SDK clients, one of each per container. */
export interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  readonly sns: SNSClient;
  readonly secretsManager: SecretsManagerClient;
}

/** Creates the clients (region, credentials and `AWS_ENDPOINT_URL` come from the environment). */
export function createAwsClients(): AwsClients {
  return {
    dynamodb: new DynamoDBClient(CLIENT_OPTIONS),
    sns: new SNSClient(CLIENT_OPTIONS),
    secretsManager: new SecretsManagerClient(CLIENT_OPTIONS),
  };
}

/** Wires the receiver from its configuration and clients. */
export function composeReceiver(
  config: ReceiverConfig,
  clients: AwsClients,
  now: () => number = Date.now,
): DeliveryReceiver {
  const keyRing = new SigningKeyRing(
    new SecretsManagerSecretReader(clients.secretsManager, config.signingSecretId),
    config.keyRefreshIntervalSeconds * 1000,
    now,
  );
  return createDeliveryReceiver(
    {
      keys: keyRing,
      store: new DynamoDbIdempotencyStore(clients.dynamodb, config.tableName),
      publisher: new SnsEventPublisher(clients.sns),
      router: createRouter(config.topicArns),
      now,
      newClaimToken: randomUUID,
    },
    {
      maxBodyBytes: config.maxBodyBytes,
      retentionMs: config.retentionDays * 24 * HOUR_MS,
      leaseMarginMs: config.leaseMarginSeconds * 1000,
      replayWindow: {
        maxAgeMs: (config.retentionDays * 24 - config.replayMarginHours) * HOUR_MS,
        maxFutureMs: config.maxClockSkewSeconds * 1000,
      },
    },
  );
}
