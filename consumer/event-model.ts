/**
 * The one description of a published Apideck event (the message body: the
 * Apideck `payload`), field by field. The runtime validator
 * (`validate-event.ts`) interprets it and the JSON Schema
 * (`json-schema.ts`, shipped as `schemas/apideck-event.schema.json`) is
 * generated from it; the TypeScript types (`events.ts`) are checked against it
 * at compile time, and the tests check it against Apideck's Webhook API spec
 * and the sample events. So the three cannot disagree.
 *
 * The fields are those Apideck's Webhook API spec documents for a webhook
 * event (`WebhookEvent`) and, for Vault connection events, the connection in
 * `entity` (Apideck's Vault API, summarised in `docs/apideck-webhooks.md`).
 * Only `event_id`, `event_type` and `occurred_at` are required: they are the
 * fields the receiver checked before publishing. Every other field may be
 * absent, and fields the model does not name are allowed and kept (Apideck adds
 * fields over time). A field that is present must have its documented type.
 */
/** The JSON types a field may take. */
export type JsonTypeName = 'string' | 'number' | 'boolean' | 'object' | 'null';

/** One field of the model. */
export interface FieldModel {
  /** The JSON types the value may have (more than one: any of them). */
  readonly types: readonly JsonTypeName[];
  /** Whether the field must be present. */
  readonly required?: boolean;
  /** A string that must not be empty. */
  readonly nonEmpty?: boolean;
  /** A string that is an ISO-8601 date-time (documented, not enforced: the receiver checked it). */
  readonly dateTime?: boolean;
  /** Values Apideck documents (documented, not enforced: Apideck adds values). */
  readonly knownValues?: readonly string[];
  /** A field whose value is not described (any JSON value). */
  readonly anyValue?: boolean;
  /** What the field is. */
  readonly description: string;
}

/** Fields by name. */
export type FieldsModel = Readonly<Record<string, FieldModel>>;

/**
 * The fields of every Apideck event: `WebhookEvent` in Apideck's Webhook API
 * spec. `event_type` is described per event (its own type, or any other).
 */
export const EVENT_FIELDS = {
  event_id: {
    types: ['string'],
    required: true,
    nonEmpty: true,
    description: 'Unique id of the event, the same across retries: the idempotency key.',
  },
  service_id: {
    types: ['string'],
    description:
      'The service that sent the event: `apideck-vault` for Vault events, the connector (e.g. `hubspot`) for unified-API events.',
  },
  entity_id: {
    types: ['string'],
    description:
      "The id of the entity that triggered the event: the connection for Vault events, the service provider's id for unified-API events.",
  },
  entity_type: {
    types: ['string'],
    description: 'The type of the entity that triggered the event (`Connection` for Vault events).',
  },
  entity_url: {
    types: ['string'],
    description: 'The URL to retrieve the entity from (unified-API events).',
  },
  execution_attempt: {
    types: ['number'],
    description: 'The delivery attempt that carried the event: it changes between retries.',
  },
  occurred_at: {
    types: ['string'],
    required: true,
    nonEmpty: true,
    dateTime: true,
    description: 'When the event occurred (ISO-8601 date-time).',
  },
} as const satisfies FieldsModel;

/** A timestamp Apideck sends as an ISO string, an epoch-milliseconds number, or `null`. */
const TIMESTAMP = ['string', 'number', 'null'] as const;

/** The Vault connection in a Vault connection event's `entity`. */
export const CONNECTION_FIELDS = {
  id: { types: ['string'], description: 'The connection id, e.g. `crm+salesforce`.' },
  name: { types: ['string'], description: 'The connector display name.' },
  icon: { types: ['string'], description: 'URL of the connector icon.' },
  logo: { types: ['string'], description: 'URL of the connector logo.' },
  website: { types: ['string'], description: 'The connector website.' },
  tag_line: { types: ['string'], description: 'The connector tag line.' },
  service_id: {
    types: ['string'],
    description: 'The connector, e.g. `salesforce` (the `connector` message attribute).',
  },
  unified_api: {
    types: ['string'],
    description: 'The unified API, e.g. `crm` (the `unified_api` message attribute).',
  },
  consumer_id: {
    types: ['string'],
    description:
      'Your consumer (customer) id in Apideck Vault (the `consumer_id` message attribute).',
  },
  auth_type: {
    types: ['string'],
    knownValues: ['oauth2', 'apiKey', 'basic', 'custom', 'none'],
    description: 'How the connection authenticates.',
  },
  enabled: { types: ['boolean'], description: 'Whether the connection is enabled.' },
  settings: {
    types: ['object', 'null'],
    description: 'Connection settings (connector-specific).',
  },
  metadata: {
    types: ['object', 'null'],
    description: 'Metadata attached to the connection by your application.',
  },
  created_at: { types: ['string'], description: 'When the connection was created.' },
  updated_at: {
    types: ['string', 'null'],
    description: 'When the connection was last updated.',
  },
  state: {
    types: ['string'],
    knownValues: ['available', 'callable', 'added', 'authorized', 'invalid'],
    description: 'The connection state.',
  },
  health: {
    types: ['string'],
    knownValues: [
      'ok',
      'pending_refresh',
      'needs_auth',
      'pending_confirmation',
      'needs_consent',
      'revoked',
      'missing_settings',
      'degraded',
    ],
    description: 'The connection health.',
  },
  credentials_expire_at: {
    types: TIMESTAMP,
    description: 'When the credentials expire: ISO string, epoch milliseconds, or null.',
  },
  last_refresh_failed_at: {
    types: TIMESTAMP,
    description: 'When a token refresh last failed: ISO string, epoch milliseconds, or null.',
  },
  migrated_from: {
    types: [],
    anyValue: true,
    description:
      'On `vault.connection.migrated`: the connection migrated from (shape undocumented).',
  },
} as const satisfies FieldsModel;

/** The field of a Vault connection event that holds the connection. */
export const ENTITY_FIELD = {
  types: ['object'],
  description: 'The Vault connection the event is about.',
} as const satisfies FieldModel;

/** `event_type`: the discriminant (each Vault connection type has its own event; any other type is the catch-all). */
export const EVENT_TYPE_FIELD = {
  types: ['string'],
  required: true,
  nonEmpty: true,
  description: 'The event type.',
} as const satisfies FieldModel;

/** What `event_type` is on the catch-all event. */
export const OTHER_EVENT_TYPE_DESCRIPTION =
  'The event type: any type but the Vault connection types (a unified-API event such as `crm.contact.updated`, or a type Apideck added).';
