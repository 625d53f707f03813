/**
 * `apideck-webhooks-aws/consumer`: the runtime kit for the services that
 * subscribe to the receiver's topics. Typed events, `parseEvent`, a Standard
 * Schema for Powertools' parser, and `createSqsHandler` (partial batch
 * responses, at most one completed run per event). It imports nothing from
 * `aws-cdk-lib` or `constructs`.
 *
 * @packageDocumentation
 */
export { ApideckEventError } from './errors.ts';
export {
  type ApideckEvent,
  type ApideckEventFields,
  type ApideckEventOfType,
  isEventOfType,
  isVaultConnectionEvent,
  isVaultConnectionEventType,
  type JsonObject,
  type OtherApideckEvent,
  VAULT_CONNECTION_EVENT_TYPES,
  type VaultConnection,
  type VaultConnectionCallableEvent,
  type VaultConnectionCreatedEvent,
  type VaultConnectionDeletedEvent,
  type VaultConnectionDisabledEvent,
  type VaultConnectionDownstreamDegradedEvent,
  type VaultConnectionDownstreamRecoveredEvent,
  type VaultConnectionEvent,
  type VaultConnectionEventOf,
  type VaultConnectionEventType,
  type VaultConnectionMigratedEvent,
  type VaultConnectionRevokedEvent,
  type VaultConnectionTokenRefreshFailedEvent,
  type VaultConnectionTokenRefreshPendingEvent,
  type VaultConnectionTokenRefreshRecoveredEvent,
  type VaultConnectionUpdatedEvent,
} from './events.ts';
export type {
  LambdaContext,
  SnsNotification,
  SnsRecord,
  SqsBatchResponse,
  SqsEvent,
  SqsRecord,
} from './lambda-events.ts';
export { parseEvent } from './parse-event.ts';
export {
  ConsumerConfigurationError,
  type ConsumerLogger,
  createSqsHandler,
  DEFAULT_EXPIRES_AFTER_SECONDS,
  type DynamoDbClientConfig,
  type EventHandler,
  type EventHandlers,
  type IdempotencyOptions,
  type SqsHandler,
  type SqsHandlerOptions,
} from './sqs-handler.ts';
export {
  type ApideckEventSchema,
  apideckEventSchema,
  type SafeParseResult,
  type StandardSchemaIssue,
  type StandardSchemaResult,
  type StandardSchemaV1,
} from './standard-schema.ts';
export type { EventIssue } from './validate-event.ts';
