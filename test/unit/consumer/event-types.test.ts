/**
 * The event types state what the model (and so the validator and the JSON
 * Schema) states: checked at compile time by `npm run typecheck`, field by
 * field, required or optional, with the same JSON types.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CONNECTION_FIELDS,
  EVENT_FIELDS,
  EVENT_TYPE_FIELD,
  type FieldModel,
} from '../../../consumer/event-model.ts';
import type {
  ApideckEvent,
  ApideckEventFields,
  JsonObject,
  OtherApideckEvent,
  VaultConnection,
  VaultConnectionEvent,
  VaultConnectionEventOf,
  VaultConnectionEventType,
} from '../../../consumer/index.ts';
import { VAULT_CONNECTION_EVENT_TYPES } from '../../../consumer/index.ts';

type JsonTypeOf<N> = N extends 'string'
  ? string
  : N extends 'number'
    ? number
    : N extends 'boolean'
      ? boolean
      : N extends 'object'
        ? JsonObject
        : N extends 'null'
          ? null
          : never;

type FieldType<F> = F extends { anyValue: true }
  ? unknown
  : F extends { types: readonly (infer N)[] }
    ? JsonTypeOf<N>
    : never;

type RequiredKeys<M> = { [K in keyof M]: M[K] extends { required: true } ? K : never }[keyof M];

/** The object type a model describes, as the validator reads it. */
type ModelObject<M> = {
  readonly [K in keyof M as K extends RequiredKeys<M> ? K : never]: FieldType<M[K]>;
} & {
  readonly [K in keyof M as K extends RequiredKeys<M> ? never : K]?: FieldType<M[K]>;
};

/** The named fields of a type, without its index signature. */
type NamedFields<T> = { [K in keyof T as string extends K ? never : K]: T[K] };

type Flat<T> = { [K in keyof T]: T[K] };

describe('the event types', () => {
  it("state the connection's fields as the model does", () => {
    expectTypeOf<Flat<NamedFields<VaultConnection>>>().toEqualTypeOf<
      Flat<ModelObject<typeof CONNECTION_FIELDS>>
    >();
    expect(Object.keys(CONNECTION_FIELDS).length).toBeGreaterThan(15);
  });

  it("state every event's fields as the model does", () => {
    expectTypeOf<Flat<NamedFields<ApideckEventFields>>>().toEqualTypeOf<
      Flat<ModelObject<typeof EVENT_FIELDS>>
    >();
    expect(Object.keys(EVENT_FIELDS)).toContain('event_id');
  });

  it('type event_type and entity on a Vault connection event as the model does', () => {
    type Added = Omit<
      NamedFields<VaultConnectionEventOf<'vault.connection.created'>>,
      keyof NamedFields<ApideckEventFields>
    >;
    expectTypeOf<Flat<Added>>().toEqualTypeOf<{
      readonly event_type: 'vault.connection.created';
      readonly entity?: VaultConnection;
    }>();
    expectTypeOf<FieldType<typeof EVENT_TYPE_FIELD>>().toEqualTypeOf<string>();
    expect(EVENT_TYPE_FIELD.required).toBe(true);
  });

  it('have one member per Vault connection event type, discriminated on event_type', () => {
    expectTypeOf<VaultConnectionEvent['event_type']>().toEqualTypeOf<VaultConnectionEventType>();
    expectTypeOf<
      Extract<VaultConnectionEvent, { event_type: 'vault.connection.revoked' }>
    >().toEqualTypeOf<VaultConnectionEventOf<'vault.connection.revoked'>>();
    expect(VAULT_CONNECTION_EVENT_TYPES).toHaveLength(12);
  });

  it('make every event either a Vault connection event or the catch-all event', () => {
    expectTypeOf<ApideckEvent>().toEqualTypeOf<VaultConnectionEvent | OtherApideckEvent>();
    expectTypeOf<FieldModel['types'][number]>().toEqualTypeOf<
      'string' | 'number' | 'boolean' | 'object' | 'null'
    >();
    expect(new Set(VAULT_CONNECTION_EVENT_TYPES).size).toBe(12);
  });
});
