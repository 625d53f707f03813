/**
 * At most one completed run per event, on Powertools Idempotency's DynamoDB
 * layer: loaded by `createSqsHandler` only when `idempotency` is set, so a
 * function without it never loads the DynamoDB client.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { ApideckEvent } from './events.ts';
import type { LambdaContext } from './lambda-events.ts';

/** Runs the handler of an event. */
export type RunEvent = (event: ApideckEvent, context: LambdaContext) => Promise<unknown>;

/** The checked idempotency settings. */
export interface IdempotencySettings {
  readonly tableName: string;
  readonly expiresAfterSeconds: number;
  readonly keyPrefix: string;
  readonly clientConfig?: object;
}

/**
 * `run`, made to complete at most once per `event_id`. The Lambda context as
 * second argument makes Powertools take the in-progress lease from the
 * invocation's remaining time, so a run that dies is taken over after it.
 */
export function idempotentRunner(settings: IdempotencySettings, run: RunEvent): RunEvent {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: settings.tableName,
    ...(settings.clientConfig === undefined ? {} : { clientConfig: { ...settings.clientConfig } }),
  });
  return makeIdempotent(run, {
    persistenceStore,
    keyPrefix: settings.keyPrefix,
    config: new IdempotencyConfig({
      eventKeyJmesPath: 'event_id',
      expiresAfterSeconds: settings.expiresAfterSeconds,
    }),
  });
}
