/**
 * The runtime validator: interprets the model (`event-model.ts`), so it checks
 * exactly what the JSON Schema generated from the same model states (a
 * property test compares the two on random inputs).
 */
import * as eventModel from './event-model.ts';
import { type ApideckEvent, isVaultConnectionEventType } from './events.ts';

/** One reason a value is not a valid event. */
export interface EventIssue {
  /** Where: field names from the event's top (empty for the event itself). */
  readonly path: readonly string[];
  /** What is wrong, in words. */
  readonly message: string;
}

/** The result of validating a value. */
export type EventValidation =
  | { readonly ok: true; readonly event: ApideckEvent }
  | { readonly ok: false; readonly issues: readonly EventIssue[] };

/** The JSON type of a value, as JSON Schema names it (`array` and `other` are never allowed here). */
export function jsonTypeOf(value: unknown): eventModel.JsonTypeName | 'array' | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isFinite(value) ? 'number' : 'other';
    case 'object':
      return 'object';
    default:
      return 'other';
  }
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return jsonTypeOf(value) === 'object';
}

function describeType(value: unknown): string {
  const type = jsonTypeOf(value);
  return type === 'other' ? typeof value : type;
}

function checkField(
  name: string,
  field: eventModel.FieldModel,
  value: unknown,
  path: readonly string[],
  issues: EventIssue[],
): void {
  if (field.anyValue === true) return;
  const type = jsonTypeOf(value);
  const at = [...path, name];
  if (!(field.types as readonly string[]).includes(type)) {
    issues.push({
      path: at,
      message: `must be ${field.types.join(' or ')}, not ${describeType(value)}`,
    });
    return;
  }
  if (field.nonEmpty === true && value === '') {
    issues.push({ path: at, message: 'must not be empty' });
  }
}

function checkFields(
  model: eventModel.FieldsModel,
  value: Readonly<Record<string, unknown>>,
  path: readonly string[],
  issues: EventIssue[],
): void {
  for (const [name, field] of Object.entries(model)) {
    if (!Object.hasOwn(value, name)) {
      if (field.required === true) issues.push({ path: [...path, name], message: 'is required' });
      continue;
    }
    checkField(name, field, value[name], path, issues);
  }
}

/**
 * Validates a parsed value as a published event. Never throws for any value
 * that `JSON.parse` can produce; it reads only the fields the model names.
 */
export function validateEvent(value: unknown): EventValidation {
  if (!isObject(value)) {
    return {
      ok: false,
      issues: [{ path: [], message: `must be a JSON object, not ${describeType(value)}` }],
    };
  }
  const issues: EventIssue[] = [];
  checkFields(
    { event_type: eventModel.EVENT_TYPE_FIELD, ...eventModel.EVENT_FIELDS },
    value,
    [],
    issues,
  );
  const type = Object.hasOwn(value, 'event_type') ? value.event_type : undefined;
  if (
    typeof type === 'string' &&
    isVaultConnectionEventType(type) &&
    Object.hasOwn(value, 'entity')
  ) {
    const entity = value.entity;
    checkField('entity', eventModel.ENTITY_FIELD, entity, [], issues);
    if (isObject(entity)) checkFields(eventModel.CONNECTION_FIELDS, entity, ['entity'], issues);
  }
  if (issues.length > 0) return { ok: false, issues };
  // The model's checks are exactly what the event types state (a compile-time test holds them together).
  return { ok: true, event: value as ApideckEvent };
}

/** Issues as one line: `event_id is required; entity.enabled must be boolean, not string`. */
export function describeIssues(issues: readonly EventIssue[]): string {
  return issues
    .map((issue) =>
      issue.path.length === 0 ? issue.message : `${issue.path.join('.')} ${issue.message}`,
    )
    .join('; ');
}
