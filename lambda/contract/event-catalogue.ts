/**
 * The one catalogue of Apideck event types this product knows about.
 *
 * Both the CDK construct (`lib/`, one SNS topic per routed type) and the Lambda
 * (`lambda/`, routing) read it, so a type added here gets a topic, an output and
 * a route in one change.
 */

/** Apideck Vault connection events, in the order WEBHOOKS.md lists them. */
export const VAULT_CONNECTION_EVENT_TYPES = [
  'vault.connection.created',
  'vault.connection.updated',
  'vault.connection.disabled',
  'vault.connection.deleted',
  'vault.connection.callable',
  'vault.connection.revoked',
  'vault.connection.migrated',
  'vault.connection.token_refresh.failed',
  'vault.connection.token_refresh.pending',
  'vault.connection.token_refresh.recovered',
  'vault.connection.downstream.degraded',
  'vault.connection.downstream.recovered',
] as const;

/** A Vault connection event type. */
export type VaultConnectionEventType = (typeof VAULT_CONNECTION_EVENT_TYPES)[number];

/**
 * Key of the catch-all route in `TOPIC_ARNS`: validly signed events of a type
 * that has no topic of its own are published there (and counted as unrouted)
 * instead of being lost.
 */
export const CATCH_ALL_ROUTE = '*';

/**
 * Whether a string is shaped like an Apideck event type (`a.b.c`, lower-case
 * segments of letters, digits, `_` and `-`). Used to validate configuration.
 */
export function isEventTypeName(value: string): boolean {
  return /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$/.test(value);
}

/**
 * A short, CloudFormation-safe identifier for an event type
 * (`vault.connection.token_refresh.failed` -> `VaultConnectionTokenRefreshFailed`),
 * used for construct ids, output names and metric dimensions.
 */
export function eventTypeIdentifier(eventType: string): string {
  return eventType
    .split(/[^a-zA-Z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
