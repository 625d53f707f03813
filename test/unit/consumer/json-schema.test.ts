/**
 * The shipped JSON Schema: fresh from the model, valid draft 2020-12, true to
 * Apideck's spec and sample events, and agreeing with the runtime validator on
 * every input (a property test against Ajv, an independent implementation).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CONNECTION_FIELDS, EVENT_FIELDS } from '../../../consumer/event-model.ts';
import {
  apideckEventJsonSchema,
  apideckEventJsonSchemaText,
  eventDefinitionName,
} from '../../../consumer/json-schema.ts';
import { validateEvent } from '../../../consumer/validate-event.ts';
import {
  VAULT_CONNECTION_EVENT_TYPES,
  type VaultConnectionEventType,
} from '../../../lambda/contract/event-catalogue.ts';
import { loadEvent } from '../../support/apideck-events.ts';

const PROJECT_ROOT = join(import.meta.dirname, '..', '..', '..');
const SCHEMA_FILE = join(PROJECT_ROOT, 'schemas', 'apideck-event.schema.json');

function compile() {
  // Formats are annotations in 2020-12, and the validator treats them so too.
  const ajv = new Ajv2020({
    strict: true,
    allowUnionTypes: true,
    allErrors: true,
    validateFormats: false,
  });
  return ajv.compile(apideckEventJsonSchema());
}

const validateWithAjv = compile();

function samplePayload(type: VaultConnectionEventType): Record<string, unknown> {
  return loadEvent(type).payload;
}

/** `WebhookEvent` and `WebhookEventType` from the copy of Apideck's Webhook API spec. */
function spec(): { properties: Record<string, { type?: string; $ref?: string }>; types: string[] } {
  const document = parseYaml(
    readFileSync(join(PROJECT_ROOT, 'tools', 'apideck', 'openapi', 'webhook.yml'), 'utf8'),
  ) as {
    components: {
      schemas: Record<
        string,
        { properties?: Record<string, never>; enum?: string[]; type?: string }
      >;
    };
  };
  const schemas = document.components.schemas;
  return {
    properties: schemas.WebhookEvent?.properties ?? {},
    types: schemas.WebhookEventType?.enum ?? [],
  };
}

describe('schemas/apideck-event.schema.json', () => {
  it('is what the model generates (run `npm run build` after changing the model)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(apideckEventJsonSchemaText());
  });

  it('is a valid draft 2020-12 schema under strict Ajv', () => {
    expect(() => compile()).not.toThrow();
    expect(apideckEventJsonSchema().$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it.each(VAULT_CONNECTION_EVENT_TYPES)('accepts the sample %s event', (type) => {
    expect(validateWithAjv(samplePayload(type))).toBe(true);
  });

  it.each(VAULT_CONNECTION_EVENT_TYPES)('matches the sample %s to its own definition', (type) => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, validateFormats: false });
    ajv.addSchema(apideckEventJsonSchema(), 'event');
    const own = ajv.getSchema(`event#/$defs/${eventDefinitionName(type)}`);
    const other = ajv.getSchema('event#/$defs/OtherApideckEvent');
    expect(own?.(samplePayload(type))).toBe(true);
    expect(other?.(samplePayload(type))).toBe(false);
  });

  it('accepts a unified-API event as the catch-all event', () => {
    const event = {
      event_type: 'crm.contact.updated',
      event_id: '9755c355-56c3-4a2f-a2da-86ff4411fccb',
      service_id: 'hubspot',
      entity_url: 'https://unify.apideck.com/crm/contacts/12345',
      occurred_at: '2026-11-26T12:00:00.000Z',
    };
    expect(validateWithAjv(event)).toBe(true);
  });

  it('refuses an event without event_id', () => {
    const { event_id: _, ...event } = samplePayload('vault.connection.created');
    expect(validateWithAjv(event)).toBe(false);
  });
});

describe('the event model', () => {
  it("names every field of Apideck's WebhookEvent with the spec's type", () => {
    const { properties } = spec();
    const declared = Object.fromEntries(
      Object.entries(properties)
        .filter(([name]) => name !== 'event_type')
        .map(([name, property]) => [name, property.type ?? 'string']),
    );
    const modelled = Object.fromEntries(
      Object.entries(EVENT_FIELDS).map(([name, field]) => [name, field.types.join('|')]),
    );
    expect(modelled).toEqual(declared);
  });

  it("lists only event types of the spec's WebhookEventType", () => {
    expect(spec().types).toEqual(expect.arrayContaining([...VAULT_CONNECTION_EVENT_TYPES]));
  });

  it.each(VAULT_CONNECTION_EVENT_TYPES)('names every field of the sample %s event', (type) => {
    const payload = samplePayload(type);
    const entity = payload.entity as Record<string, unknown>;
    expect(Object.keys(EVENT_FIELDS)).toEqual(
      expect.arrayContaining(
        Object.keys(payload).filter((name) => name !== 'entity' && name !== 'event_type'),
      ),
    );
    expect(Object.keys(CONNECTION_FIELDS)).toEqual(expect.arrayContaining(Object.keys(entity)));
  });
});

/** Sample events with one field replaced, removed or added, at the top or in the entity. */
function mutatedEvent(): fc.Arbitrary<unknown> {
  const field = fc.constantFrom(
    ...Object.keys(EVENT_FIELDS),
    'event_type',
    'entity',
    'unknown_field',
  );
  const entityField = fc.constantFrom(...Object.keys(CONNECTION_FIELDS), 'unknown_field');
  const value = fc.oneof(
    fc.jsonValue(),
    fc.constantFrom('', 'crm.contact.updated', ...VAULT_CONNECTION_EVENT_TYPES),
    fc.constant(undefined),
  );
  return fc
    .record({
      type: fc.constantFrom(...VAULT_CONNECTION_EVENT_TYPES),
      where: fc.constantFrom('top', 'entity'),
      topField: field,
      entityField,
      value,
    })
    .map(({ type, where, topField, entityField: inner, value: replacement }) => {
      const payload: Record<string, unknown> = samplePayload(type);
      const target =
        where === 'top' ? payload : (payload.entity as Record<string, unknown> | undefined);
      const name = where === 'top' ? topField : inner;
      if (target === undefined) return payload;
      if (replacement === undefined) delete target[name];
      else target[name] = replacement;
      return payload;
    });
}

describe('the runtime validator and the JSON Schema', () => {
  it('agree on sample events with a field replaced, removed or added', () => {
    const verdicts = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(mutatedEvent(), (value) => {
        const valid = validateWithAjv(value);
        verdicts[valid ? 'valid' : 'invalid']++;
        expect(validateEvent(value).ok).toBe(valid);
      }),
      { numRuns: 2000 },
    );
    // Both verdicts were exercised, or the agreement would prove little.
    expect(verdicts.valid).toBeGreaterThan(100);
    expect(verdicts.invalid).toBeGreaterThan(100);
  });

  it('agree on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(validateEvent(value).ok).toBe(validateWithAjv(value));
      }),
      { numRuns: 1000 },
    );
  });
});
