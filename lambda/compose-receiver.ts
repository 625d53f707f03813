import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDbIdempotencyStore } from './adapters/dynamodb-idempotency-store.ts';
import { DynamoDbRetentionLedger } from './adapters/dynamodb-retention-ledger.ts';
import { SecretsManagerSecretReader } from './adapters/secrets-manager-secret-reader.ts';
import { SnsEventPublisher } from './adapters/sns-event-publisher.ts';
import type { ReceiverConfig } from './config.ts';
import type { ClaimAndPublishPolicy } from './domain/claim-and-publish.ts';
import { createDeliveryReceiver, type DeliveryReceiver } from './domain/receive-signed-delivery.ts';
import { createRouter } from './domain/routing.ts';
import { SigningKeyRing } from './domain/signing-key-ring.ts';
import { HOUR_MS } from './domain/time.ts';

/** A call started during initialisation may take this long: the first claim waits at most this. */
const COLD_START_CALL_TIMEOUT_MS = 2_000;

/**
 * Per-attempt timeouts that fire (`throwOnRequestTimeout`: without it the
 * handler only logs a warning), so a hung attempt leaves time for another. The
 * whole call, attempts and back-off included, is bounded by the invocation's
 * remaining time in the adapters (`callWithin`).
 */
const REQUEST_HANDLER = {
  connectionTimeout: 1_000,
  requestTimeout: 3_000,
  throwOnRequestTimeout: true,
} as const;

/** DynamoDB and Secrets Manager calls are safe to repeat (see the adapters): the SDK retries them. */
const RETRIED_CLIENT_OPTIONS = { maxAttempts: 3, requestHandler: REQUEST_HANDLER } as const;

/**
 * A repeated `Publish` whose first answer was lost publishes twice: the SNS
 * adapter retries itself, only where SNS cannot have taken the message. No
 * per-attempt request timeout: an attempt cut short after it was sent is an
 * uncertain publish (a possible duplicate), so a slow publish may use the
 * call's whole budget, which the adapter bounds.
 */
const SNS_CLIENT_OPTIONS = {
  maxAttempts: 1,
  requestHandler: { connectionTimeout: REQUEST_HANDLER.connectionTimeout },
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
    dynamodb: new DynamoDBClient(RETRIED_CLIENT_OPTIONS),
    sns: new SNSClient(SNS_CLIENT_OPTIONS),
    secretsManager: new SecretsManagerClient(RETRIED_CLIENT_OPTIONS),
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
  const retentionLedger = new DynamoDbRetentionLedger(clients.dynamodb, config.tableName);
  // Both started at cold start, off the first request's path, which then shares them (and
  // repeats one that failed): a dependency that is down cannot fail initialisation. They also
  // open the Secrets Manager and DynamoDB connections before the first request needs them.
  const warmUp = { timeoutMs: COLD_START_CALL_TIMEOUT_MS };
  keyRing.prefetch(warmUp);
  retentionLedger.record(config.retentionDays, now(), warmUp).catch(() => undefined);
  return createDeliveryReceiver(
    {
      keys: keyRing,
      store: new DynamoDbIdempotencyStore(clients.dynamodb, config.tableName),
      retentionLedger,
      publisher: new SnsEventPublisher(clients.sns, now),
      router: createRouter(config.topicArns),
      now,
      newClaimToken: randomUUID,
    },
    { maxBodyBytes: config.maxBodyBytes, ...claimAndPublishPolicyOf(config) },
  );
}

/**
 * The rules an authenticated event is delivered by, from the configuration:
 * the one derivation of the retention, the lease and the replay window, for the
 * live receiver and reconciliation alike, so the same record decides both.
 */
export function claimAndPublishPolicyOf(
  config: Pick<
    ReceiverConfig,
    'retentionDays' | 'replayMarginHours' | 'maxClockSkewSeconds' | 'leaseMarginSeconds' | 'fifo'
  >,
): ClaimAndPublishPolicy {
  return {
    retentionMs: config.retentionDays * 24 * HOUR_MS,
    leaseMarginMs: config.leaseMarginSeconds * 1000,
    fifo: config.fifo,
    replayWindow: {
      maxAgeMs: (config.retentionDays * 24 - config.replayMarginHours) * HOUR_MS,
      maxFutureMs: config.maxClockSkewSeconds * 1000,
    },
  };
}
