/**
 * One example of every delivery outcome (and the handler's unexpected error),
 * for tests of what the HTTP, log and metric layers make of them.
 */
import type { DeliveryOutcome } from '../../lambda/domain/delivery-outcome.ts';
import { type ApideckEvent, parseEnvelope } from '../../lambda/domain/envelope.ts';
import { SNS_MAX_MESSAGE_BYTES } from '../../lambda/domain/sns-message.ts';
import {
  ConfigurationError,
  IdempotencyStoreError,
  PublishError,
  SigningKeysUnavailableError,
} from '../../lambda/errors.ts';
import type { HandledOutcome } from '../../lambda/observability/outcome-metrics.ts';
import { type EventBody, loadEvent } from './apideck-events.ts';
import { topicArnFor } from './delivery-harness.ts';

/** The event of a body, which must be one. */
export function eventOf(body: EventBody = loadEvent()): ApideckEvent {
  const result = parseEnvelope(body);
  if (result.kind !== 'event') throw new TypeError(`not an event: ${result.kind}`);
  return result.event;
}

export const SAMPLE_EVENT: ApideckEvent = eventOf();

type PublishedOutcome = Extract<DeliveryOutcome, { kind: 'published' }>;
type UnavailableOutcome = Extract<DeliveryOutcome, { kind: 'unavailable' }>;

const ROUTE = { topicArn: topicArnFor(SAMPLE_EVENT.eventType), routed: true } as const;

/** A publish whose attributes all went out and whose claim was completed, but for `changes`. */
function published(messageId: string, changes: Partial<PublishedOutcome> = {}): PublishedOutcome {
  const base = { event: SAMPLE_EVENT, route: ROUTE, completed: true, recovered: false };
  return { kind: 'published', ...base, messageId, droppedAttributes: [], ...changes };
}

/** A dependency failure; nothing failed at publishing unless `failed` says so. */
function unavailable(
  dependency: UnavailableOutcome['dependency'],
  error: Error,
  failed: Partial<
    Pick<UnavailableOutcome, 'publishFailed' | 'publishUncertain' | 'releaseFailed'>
  > = {},
  /** `null`: the failure came before the body was read as an event. */
  event: ApideckEvent | null = SAMPLE_EVENT,
): UnavailableOutcome {
  const flags = { publishFailed: false, publishUncertain: false, releaseFailed: false, ...failed };
  return { kind: 'unavailable', dependency, error, ...(event !== null && { event }), ...flags };
}

/** A named example of each outcome; names are unique and used as test titles. */
export const OUTCOME_EXAMPLES: ReadonlyArray<readonly [string, HandledOutcome]> = [
  ['published', published('msg-1')],
  [
    'published, unrouted',
    published('msg-2', { route: { topicArn: topicArnFor('*'), routed: false } }),
  ],
  [
    'published, completion failed',
    published('msg-3', {
      completed: false,
      completionError: new IdempotencyStoreError('marking the event completed failed'),
    }),
  ],
  ['published, attribute dropped', published('msg-4', { droppedAttributes: ['consumer_id'] })],
  ['published, recovered', published('msg-5', { recovered: true })],
  ['duplicate', { kind: 'duplicate', event: SAMPLE_EVENT }],
  ['in-progress', { kind: 'in-progress', event: SAMPLE_EVENT, retryAfterSeconds: 17 }],
  ['payload-conflict', { kind: 'payload-conflict', event: SAMPLE_EVENT }],
  ['ignored', { kind: 'ignored' }],
  ['invalid-json', { kind: 'invalid', problem: 'invalid-json', reason: 'body is not valid JSON' }],
  [
    'invalid-envelope',
    {
      kind: 'invalid',
      problem: 'invalid-envelope',
      reason: 'payload.occurred_at must be an ISO-8601 date-time',
    },
  ],
  ['signature missing', { kind: 'signature-rejected', reason: 'missing' }],
  ['signature mismatch', { kind: 'signature-rejected', reason: 'mismatch' }],
  ['body too large', { kind: 'too-large', limitBytes: 262_144, sizeBytes: 300_000 }],
  [
    'message too large',
    {
      kind: 'too-large',
      limitBytes: SNS_MAX_MESSAGE_BYTES,
      sizeBytes: 300_000,
      event: SAMPLE_EVENT,
    },
  ],
  ['replay too old', { kind: 'replay-refused', event: SAMPLE_EVENT, verdict: 'too-old' }],
  ['replay in future', { kind: 'replay-refused', event: SAMPLE_EVENT, verdict: 'in-future' }],
  [
    'keys unavailable',
    unavailable(
      'SecretsManager',
      new SigningKeysUnavailableError('reading the signing secret failed'),
      {},
      null,
    ),
  ],
  [
    'store unavailable',
    unavailable('DynamoDB', new IdempotencyStoreError('claiming the event failed')),
  ],
  [
    'publish failed',
    unavailable('SNS', new PublishError('publishing to SNS failed'), { publishFailed: true }),
  ],
  [
    'publish uncertain',
    unavailable(
      'SNS',
      new PublishError('publishing to SNS failed after the request was sent', {
        maybePublished: true,
      }),
      { publishFailed: true, publishUncertain: true },
    ),
  ],
  [
    'publish and release failed',
    unavailable('SNS', new PublishError('publishing to SNS failed'), {
      publishFailed: true,
      releaseFailed: true,
    }),
  ],
  [
    'misconfigured',
    { kind: 'misconfigured', error: new ConfigurationError('TOPIC_ARNS', 'is required') },
  ],
  ['unexpected error', { kind: 'unexpected-error', error: new TypeError('bug') }],
];

/** Whether a handled outcome is one the receiver decided (not the handler's own failure). */
export function isDeliveryOutcome(outcome: HandledOutcome): outcome is DeliveryOutcome {
  return outcome.kind !== 'unexpected-error' && outcome.kind !== 'misconfigured';
}

/** The examples that are delivery outcomes (everything but the handler's own failures). */
export const DELIVERY_OUTCOME_EXAMPLES: ReadonlyArray<readonly [string, DeliveryOutcome]> =
  OUTCOME_EXAMPLES.flatMap(([name, outcome]) =>
    isDeliveryOutcome(outcome) ? [[name, outcome] as const] : [],
  );

/** The example named `name`. */
export function outcomeExample(name: string): HandledOutcome {
  const found = OUTCOME_EXAMPLES.find(([candidate]) => candidate === name);
  if (found === undefined) throw new RangeError(`no outcome example named ${name}`);
  return found[1];
}
