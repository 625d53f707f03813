/**
 * Wires a reconciliation from its configuration and the receiver's AWS
 * clients: Apideck's event log on `fetch`, and the receiver's own delivery of
 * an authenticated event (`createClaimAndPublish`) with the `recovered` mark.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDbIdempotencyStore } from '../adapters/dynamodb-idempotency-store.ts';
import { DynamoDbRetentionLedger } from '../adapters/dynamodb-retention-ledger.ts';
import { SecretsManagerSecretReader } from '../adapters/secrets-manager-secret-reader.ts';
import { SnsEventPublisher } from '../adapters/sns-event-publisher.ts';
import { type AwsClients, claimAndPublishPolicyOf } from '../compose-receiver.ts';
import { type ClaimAndPublishOutcome, createClaimAndPublish } from '../domain/claim-and-publish.ts';
import { Deadline } from '../domain/deadline.ts';
import { createRouter } from '../domain/routing.ts';
import { parseSigningKeys } from '../domain/signing-key-ring.ts';
import { ApideckWebhookApi } from './apideck-webhook-api.ts';
import type { ApideckConfig, ReconcilerConfig } from './config.ts';
import { DynamoDbRecordReader } from './dynamodb-record-reader.ts';
import { type ReconcileSummary, reconcile } from './reconcile.ts';
import { reconcileWindow } from './window.ts';

/**
 * Time one event's claim, publish and completion may take. There is no
 * invocation deadline per event off the hot path; this bounds each like a live
 * delivery's (the receiver function's 10 s timeout).
 */
export const EVENT_BUDGET_MS = 10_000;

/** Options of {@link composeReconciler}. */
export interface ReconcilerOptions {
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly onOutcome?: (outcome: ClaimAndPublishOutcome) => void;
  readonly shouldStop?: () => boolean;
  /** Attempts per Apideck request on 429 and 5xx (default 4). */
  readonly apiAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A composed reconciler. */
export interface Reconciler {
  /**
   * Reconciles the last `sinceMs` of the event log.
   *
   * @throws WindowRefusedError when the window reaches past the records' retention.
   * @throws ApideckApiError when Apideck refuses or answers what cannot be read.
   */
  run(request: { readonly sinceMs: number; readonly dryRun: boolean }): Promise<ReconcileSummary>;
}

/**
 * The API key: `APIDECK_API_KEY`, else the current (first) key of the signing
 * secret. Read once per run or cold start.
 */
export async function resolveApiKey(config: ApideckConfig, clients: AwsClients): Promise<string> {
  if (config.apiKey.kind === 'environment') return config.apiKey.apiKey;
  const reader = new SecretsManagerSecretReader(clients.secretsManager, config.apiKey.secretId);
  const [current] = parseSigningKeys(await reader.read());
  // parseSigningKeys never returns an empty list; the guard keeps the type honest.
  if (current === undefined) throw new Error('the signing secret holds no key');
  return current;
}

/** The Webhook API client of a configuration. */
export function apideckApi(
  config: ApideckConfig,
  apiKey: string,
  options: Pick<ReconcilerOptions, 'fetch' | 'apiAttempts' | 'sleep'> = {},
): ApideckWebhookApi {
  return new ApideckWebhookApi({
    baseUrl: config.apiUrl,
    appId: config.appId,
    apiKey,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.apiAttempts === undefined ? {} : { maxAttempts: options.apiAttempts }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
  });
}

/** Wires the reconciler. */
export function composeReconciler(
  config: ReconcilerConfig,
  clients: AwsClients,
  apiKey: string,
  options: ReconcilerOptions = {},
): Reconciler {
  const now = options.now ?? Date.now;
  const { receiver } = config;
  const policy = claimAndPublishPolicyOf(receiver);
  const deliver = createClaimAndPublish(
    {
      store: new DynamoDbIdempotencyStore(clients.dynamodb, receiver.tableName),
      retentionLedger: new DynamoDbRetentionLedger(clients.dynamodb, receiver.tableName),
      publisher: new SnsEventPublisher(clients.sns, now),
      router: createRouter(receiver.topicArns),
      now,
      newClaimToken: randomUUID,
    },
    policy,
  );
  const eventLog = apideckApi(config.apideck, apiKey, options);
  const records = new DynamoDbRecordReader(clients.dynamodb, receiver.tableName);
  return {
    run: ({ sinceMs, dryRun }) =>
      reconcile(
        {
          window: reconcileWindow(sinceMs, now(), receiver),
          webhookUrl: config.apideck.webhookUrl,
          replayWindow: policy.replayWindow,
          dryRun,
        },
        {
          eventLog,
          records,
          now,
          recover: (event) =>
            deliver(event, {
              deadline: Deadline.fromRemainingTime(EVENT_BUDGET_MS, now),
              leaseMs: EVENT_BUDGET_MS + receiver.leaseMarginSeconds * 1000,
              recovered: true,
            }),
          ...(options.onOutcome === undefined ? {} : { onOutcome: options.onOutcome }),
          ...(options.shouldStop === undefined ? {} : { shouldStop: options.shouldStop }),
        },
      ),
  };
}
