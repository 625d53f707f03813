/**
 * The JSON Schema (draft 2020-12) of a published event, generated from the
 * model (`event-model.ts`). `npm run build` writes it to
 * `schemas/apideck-event.schema.json` (in the package:
 * `apideck-webhooks-aws/schemas/apideck-event.schema.json`); a test keeps the
 * committed file equal to what this produces.
 */
import {
  eventTypeIdentifier,
  VAULT_CONNECTION_EVENT_TYPES,
} from '../lambda/contract/event-catalogue.ts';
import {
  CONNECTION_FIELDS,
  ENTITY_FIELD,
  EVENT_FIELDS,
  EVENT_TYPE_FIELD,
  type FieldModel,
  type FieldsModel,
  OTHER_EVENT_TYPE_DESCRIPTION,
} from './event-model.ts';

/** A JSON Schema, as plain JSON. */
export type JsonSchema = { readonly [keyword: string]: unknown };

function fieldSchema(field: FieldModel): JsonSchema {
  if (field.anyValue === true) return { description: field.description };
  const [only] = field.types;
  return {
    type: field.types.length === 1 ? only : field.types,
    ...(field.nonEmpty === true ? { minLength: 1 } : {}),
    ...(field.dateTime === true ? { format: 'date-time' } : {}),
    ...(field.knownValues === undefined ? {} : { examples: field.knownValues }),
    description:
      field.knownValues === undefined
        ? field.description
        : `${field.description} Known values: ${field.knownValues.join(', ')} (Apideck may add values).`,
  };
}

function objectSchema(model: FieldsModel, extra: Record<string, JsonSchema> = {}): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, field] of Object.entries(model)) properties[name] = fieldSchema(field);
  const required = Object.entries(model)
    .filter(([, field]) => field.required === true)
    .map(([name]) => name);
  return {
    type: 'object',
    ...(required.length > 0 ? { required } : {}),
    properties: { ...properties, ...extra },
    additionalProperties: true,
  };
}

/** `$defs` name of the event of a Vault connection type: `VaultConnectionCreatedEvent`. */
export function eventDefinitionName(eventType: string): string {
  return `${eventTypeIdentifier(eventType)}Event`;
}

const ref = (name: string): JsonSchema => ({ $ref: `#/$defs/${name}` });

/** The schema of a published event: one of the twelve Vault connection events, or any other event. */
export function apideckEventJsonSchema(): JsonSchema {
  const vaultFields = objectSchema(
    { event_type: EVENT_TYPE_FIELD, ...EVENT_FIELDS },
    { entity: { ...ref('VaultConnection'), description: ENTITY_FIELD.description } },
  );
  const vaultEvents = Object.fromEntries(
    VAULT_CONNECTION_EVENT_TYPES.map((type) => [
      eventDefinitionName(type),
      {
        title: eventDefinitionName(type),
        description: `The \`${type}\` event.`,
        ...ref('VaultConnectionEventFields'),
        type: 'object',
        properties: { event_type: { const: type } },
      },
    ]),
  );
  const other = objectSchema({
    event_type: EVENT_TYPE_FIELD,
    ...EVENT_FIELDS,
  });
  const otherProperties = other.properties as Record<string, JsonSchema>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'ApideckEvent',
    description:
      'An Apideck webhook event as the receiver publishes it to SNS (the message body: the Apideck `payload`). Fields not listed are allowed: Apideck adds fields.',
    oneOf: [
      ...VAULT_CONNECTION_EVENT_TYPES.map((type) => ref(eventDefinitionName(type))),
      ref('OtherApideckEvent'),
    ],
    $defs: {
      VaultConnectionEventFields: {
        ...vaultFields,
        description: 'The fields of every Vault connection event.',
      },
      ...vaultEvents,
      OtherApideckEvent: {
        ...other,
        title: 'OtherApideckEvent',
        description:
          'Any other validly signed event (the catch-all topic): a unified-API event, or a type Apideck added.',
        properties: {
          ...otherProperties,
          event_type: {
            ...otherProperties.event_type,
            not: { enum: [...VAULT_CONNECTION_EVENT_TYPES] },
            description: OTHER_EVENT_TYPE_DESCRIPTION,
          },
        },
      },
      VaultConnection: {
        title: 'VaultConnection',
        description: 'The Vault connection a Vault connection event is about.',
        ...objectSchema(CONNECTION_FIELDS),
      },
    },
  };
}

/** The schema file's text, as written to `schemas/apideck-event.schema.json`. */
export function apideckEventJsonSchemaText(): string {
  return `${JSON.stringify(apideckEventJsonSchema(), null, 2)}\n`;
}
