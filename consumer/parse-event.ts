/**
 * `parseEvent`: one call from whatever the subscriber received to a validated,
 * typed event.
 */
import { ApideckEventError } from './errors.ts';
import type { ApideckEvent } from './events.ts';
import type { SnsNotification } from './lambda-events.ts';
import { describeIssues, jsonTypeOf, validateEvent } from './validate-event.ts';

type JsonRecord = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: nothing is read from a prototype. */
function own(value: JsonRecord, key: string): unknown {
  return Object.hasOwn(value, key) ? value[key] : undefined;
}

function describeValue(value: unknown): string {
  const type = jsonTypeOf(value);
  return type === 'other' ? typeof value : type;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApideckEventError(`${what} is not JSON`, { cause: error });
  }
}

function isSnsNotification(value: unknown): value is SnsNotification {
  return (
    isRecord(value) &&
    own(value, 'Type') === 'Notification' &&
    typeof own(value, 'Message') === 'string'
  );
}

function validated(value: unknown, what: string): ApideckEvent {
  const result = validateEvent(value);
  if (result.ok) return result.event;
  throw new ApideckEventError(
    `${what} is not a valid Apideck event: ${describeIssues(result.issues)}`,
    {
      issues: result.issues,
    },
  );
}

/** A message text: the event as JSON, or (in an SQS body without raw delivery) an SNS notification carrying it. */
function fromMessage(text: string, what: string, mayBeNotification: boolean): ApideckEvent {
  const value = parseJson(text, what);
  if (mayBeNotification && isSnsNotification(value)) {
    return fromMessage(value.Message, `the SNS message in ${what}`, false);
  }
  return validated(value, what);
}

function fromObject(value: JsonRecord): ApideckEvent {
  if (own(value, 'eventSource') === 'aws:sqs') {
    const body = own(value, 'body');
    if (typeof body !== 'string') {
      throw new ApideckEventError(
        `the SQS record's body must be a string, not ${describeValue(body)}`,
      );
    }
    return fromMessage(body, 'the SQS record body', true);
  }
  if (own(value, 'EventSource') === 'aws:sns') {
    const sns = own(value, 'Sns');
    const message = isRecord(sns) ? own(sns, 'Message') : undefined;
    if (typeof message !== 'string') {
      throw new ApideckEventError("the SNS record's Sns.Message must be a string");
    }
    return fromMessage(message, 'the SNS record message', false);
  }
  if (isSnsNotification(value))
    return fromMessage(value.Message, 'the SNS notification message', false);
  if (Array.isArray(own(value, 'Records'))) {
    throw new ApideckEventError(
      'a whole Lambda event (Records) is not one event: parse each record (event.Records.map(parseEvent))',
    );
  }
  if (isRecord(own(value, 'payload')) && !Object.hasOwn(value, 'event_id')) {
    throw new ApideckEventError(
      "this is Apideck's delivery body ({ payload }); the published event is its payload",
    );
  }
  return validated(value, 'the event');
}

/**
 * Reads an Apideck event from what a subscriber receives, validates it and
 * returns it typed:
 * - an SQS record (`event.Records[i]` of an SQS-triggered function), whose body
 *   is the event (raw delivery) or an SNS notification carrying it;
 * - an SNS record (`event.Records[i]` of an SNS-subscribed function);
 * - an SNS notification, as an object or as JSON text;
 * - the event itself, as an object or as JSON text.
 *
 * @throws {@link ApideckEventError} for anything else, with a message that
 *   says what was wrong (never a `TypeError`, whatever the input).
 */
export function parseEvent(input: unknown): ApideckEvent {
  try {
    const value = typeof input === 'string' ? parseJson(input, 'the input') : input;
    if (!isRecord(value)) {
      throw new ApideckEventError(
        `expected an SQS record, an SNS record, an SNS notification or an Apideck event, not ${describeValue(value)}`,
      );
    }
    return fromObject(value);
  } catch (error) {
    if (error instanceof ApideckEventError) throw error;
    // A hostile input (a throwing getter, a proxy): still the one documented error.
    throw new ApideckEventError('the input could not be read', { cause: error });
  }
}

/**
 * Validates the event itself (an object, or JSON text), without unwrapping any
 * record or notification: what a Powertools envelope hands to a schema.
 *
 * @throws {@link ApideckEventError} when it is not a valid event.
 */
export function parseEventOnly(input: unknown): ApideckEvent {
  try {
    const value = typeof input === 'string' ? parseJson(input, 'the message') : input;
    if (isSnsNotification(value)) {
      throw new ApideckEventError(
        'this is an SNS notification, not the event: use SnsSqsEnvelope (or raw message delivery)',
      );
    }
    return validated(value, 'the message');
  } catch (error) {
    if (error instanceof ApideckEventError) throw error;
    throw new ApideckEventError('the input could not be read', { cause: error });
  }
}
