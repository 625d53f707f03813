/**
 * The types of the events the receiver publishes: the message body is the
 * Apideck event's `payload`. A test checks them against the model
 * (`event-model.ts`) the validator and the JSON Schema come from.
 */
import {
  VAULT_CONNECTION_EVENT_TYPES,
  type VaultConnectionEventType,
} from '../lambda/contract/event-catalogue.ts';

export { VAULT_CONNECTION_EVENT_TYPES, type VaultConnectionEventType };

/** A JSON object whose fields are not described. */
export interface JsonObject {
  readonly [field: string]: unknown;
}

/**
 * The Vault connection an event is about (`entity`). Every field may be
 * absent; fields not listed here are kept as they came.
 */
export interface VaultConnection {
  /** The connection id, e.g. `crm+salesforce`. */
  readonly id?: string;
  /** The connector display name. */
  readonly name?: string;
  /** URL of the connector icon. */
  readonly icon?: string;
  /** URL of the connector logo. */
  readonly logo?: string;
  /** The connector website. */
  readonly website?: string;
  /** The connector tag line. */
  readonly tag_line?: string;
  /** The connector, e.g. `salesforce` (the `connector` message attribute). */
  readonly service_id?: string;
  /** The unified API, e.g. `crm` (the `unified_api` message attribute). */
  readonly unified_api?: string;
  /** Your consumer (customer) id in Apideck Vault (the `consumer_id` message attribute). */
  readonly consumer_id?: string;
  /** How the connection authenticates: `oauth2`, `apiKey`, `basic`, `custom`, `none` (Apideck may add values). */
  readonly auth_type?: string;
  /** Whether the connection is enabled. */
  readonly enabled?: boolean;
  /** Connection settings (connector-specific). */
  readonly settings?: JsonObject | null;
  /** Metadata attached to the connection by your application. */
  readonly metadata?: JsonObject | null;
  /** When the connection was created. */
  readonly created_at?: string;
  /** When the connection was last updated. */
  readonly updated_at?: string | null;
  /** The connection state: `available`, `callable`, `added`, `authorized`, `invalid` (Apideck may add values). */
  readonly state?: string;
  /**
   * The connection health: `ok`, `pending_refresh`, `needs_auth`,
   * `pending_confirmation`, `needs_consent`, `revoked`, `missing_settings`,
   * `degraded` (Apideck may add values).
   */
  readonly health?: string;
  /** When the credentials expire: ISO string, epoch milliseconds, or null. */
  readonly credentials_expire_at?: string | number | null;
  /** When a token refresh last failed: ISO string, epoch milliseconds, or null. */
  readonly last_refresh_failed_at?: string | number | null;
  /** On `vault.connection.migrated`: the connection migrated from (shape undocumented). */
  readonly migrated_from?: unknown;
  readonly [field: string]: unknown;
}

/** The fields every Apideck event has (`WebhookEvent` in Apideck's Webhook API spec). */
export interface ApideckEventFields {
  /** Unique id of the event, the same across retries: the idempotency key. */
  readonly event_id: string;
  /**
   * The service that sent the event: `apideck-vault` for Vault events, the
   * connector (e.g. `hubspot`) for unified-API events.
   */
  readonly service_id?: string;
  /**
   * The id of the entity that triggered the event: the connection for Vault
   * events, the service provider's id for unified-API events.
   */
  readonly entity_id?: string;
  /** The type of the entity that triggered the event (`Connection` for Vault events). */
  readonly entity_type?: string;
  /** The URL to retrieve the entity from (unified-API events). */
  readonly entity_url?: string;
  /** The delivery attempt that carried the event: it changes between retries. */
  readonly execution_attempt?: number;
  /** When the event occurred (ISO-8601 date-time). */
  readonly occurred_at: string;
  readonly [field: string]: unknown;
}

/** A Vault connection event of one type. */
export interface VaultConnectionEventOf<T extends VaultConnectionEventType>
  extends ApideckEventFields {
  /** The event type. */
  readonly event_type: T;
  /** The Vault connection the event is about. */
  readonly entity?: VaultConnection;
}

/** `vault.connection.created` */
export type VaultConnectionCreatedEvent = VaultConnectionEventOf<'vault.connection.created'>;
/** `vault.connection.updated` */
export type VaultConnectionUpdatedEvent = VaultConnectionEventOf<'vault.connection.updated'>;
/** `vault.connection.disabled` */
export type VaultConnectionDisabledEvent = VaultConnectionEventOf<'vault.connection.disabled'>;
/** `vault.connection.deleted` */
export type VaultConnectionDeletedEvent = VaultConnectionEventOf<'vault.connection.deleted'>;
/** `vault.connection.callable` */
export type VaultConnectionCallableEvent = VaultConnectionEventOf<'vault.connection.callable'>;
/** `vault.connection.revoked` */
export type VaultConnectionRevokedEvent = VaultConnectionEventOf<'vault.connection.revoked'>;
/** `vault.connection.migrated` */
export type VaultConnectionMigratedEvent = VaultConnectionEventOf<'vault.connection.migrated'>;
/** `vault.connection.token_refresh.failed` */
export type VaultConnectionTokenRefreshFailedEvent =
  VaultConnectionEventOf<'vault.connection.token_refresh.failed'>;
/** `vault.connection.token_refresh.pending` */
export type VaultConnectionTokenRefreshPendingEvent =
  VaultConnectionEventOf<'vault.connection.token_refresh.pending'>;
/** `vault.connection.token_refresh.recovered` */
export type VaultConnectionTokenRefreshRecoveredEvent =
  VaultConnectionEventOf<'vault.connection.token_refresh.recovered'>;
/** `vault.connection.downstream.degraded` */
export type VaultConnectionDownstreamDegradedEvent =
  VaultConnectionEventOf<'vault.connection.downstream.degraded'>;
/** `vault.connection.downstream.recovered` */
export type VaultConnectionDownstreamRecoveredEvent =
  VaultConnectionEventOf<'vault.connection.downstream.recovered'>;

/** The twelve Vault connection events, discriminated on `event_type`. */
export type VaultConnectionEvent = {
  [T in VaultConnectionEventType]: VaultConnectionEventOf<T>;
}[VaultConnectionEventType];

/**
 * Any other validly signed event (the catch-all topic): a unified-API event
 * such as `crm.contact.updated`, or a type Apideck added. Its `event_type` is
 * never one of the Vault connection types.
 */
export interface OtherApideckEvent<T extends string = string> extends ApideckEventFields {
  /** The event type. */
  readonly event_type: T;
}

/**
 * An event as published: one of the twelve Vault connection events or any
 * other. Narrow with {@link isVaultConnectionEvent} first (the catch-all's
 * `event_type` is any string, so a `switch` alone cannot rule it out).
 */
export type ApideckEvent = VaultConnectionEvent | OtherApideckEvent;

/** The event type of `T`: its own type for a Vault connection type, {@link OtherApideckEvent} otherwise. */
export type ApideckEventOfType<T extends string> = T extends VaultConnectionEventType
  ? VaultConnectionEventOf<T>
  : OtherApideckEvent<T>;

const VAULT_TYPES: ReadonlySet<string> = new Set(VAULT_CONNECTION_EVENT_TYPES);

/** Whether `type` is one of the twelve Vault connection event types. */
export function isVaultConnectionEventType(type: string): type is VaultConnectionEventType {
  return VAULT_TYPES.has(type);
}

/** Whether the event is one of the twelve Vault connection events (then `event_type` narrows it). */
export function isVaultConnectionEvent(event: ApideckEvent): event is VaultConnectionEvent {
  return isVaultConnectionEventType(event.event_type);
}

/** Whether the event is of the given type, narrowing it. */
export function isEventOfType<T extends string>(
  event: ApideckEvent,
  type: T,
): event is ApideckEvent & ApideckEventOfType<T> {
  return event.event_type === type;
}
