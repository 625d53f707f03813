import {
  EVENT_TYPE_DIMENSION,
  METRIC_NAMES,
  type MetricName,
  UNROUTED_EVENT_TYPE_DIMENSION_VALUE,
} from '../contract/metrics.ts';
import type { DeliveryOutcome } from '../domain/delivery-outcome.ts';
import type { ConfigurationError } from '../errors.ts';

/**
 * A handled request, one that met a configuration error found at cold start
 * (every request answers 500 until it is fixed), or one that ended in an
 * unexpected error.
 */
export type HandledOutcome =
  | DeliveryOutcome
  | { readonly kind: 'misconfigured'; readonly error: ConfigurationError }
  | { readonly kind: 'unexpected-error'; readonly error: unknown };

/** The count metrics an outcome adds to (each by 1), besides `Received`. */
export function outcomeCounts(outcome: HandledOutcome): MetricName[] {
  const m = METRIC_NAMES;
  switch (outcome.kind) {
    case 'published': {
      const counts: MetricName[] = [m.published];
      if (!outcome.route.routed) counts.push(m.unrouted);
      if (!outcome.completed) counts.push(m.completionFailed);
      if (outcome.droppedAttributes.length > 0) counts.push(m.attributeDropped);
      if (outcome.recovered) counts.push(m.recovered);
      return counts;
    }
    case 'duplicate':
      return [m.duplicate];
    case 'in-progress':
      return [m.inProgress];
    case 'payload-conflict':
      return [m.payloadConflict];
    case 'ignored':
      return [m.ignored];
    case 'invalid':
      return [m.invalidRequest];
    case 'signature-rejected':
      return [m.signatureRejected];
    case 'too-large':
      return [m.tooLarge];
    case 'replay-refused':
      return [m.replayRefused];
    case 'unavailable':
      if (!outcome.publishFailed) return [m.dependencyError];
      return outcome.publishUncertain
        ? [m.dependencyError, m.publishFailed, m.publishUncertain]
        : [m.dependencyError, m.publishFailed];
    case 'misconfigured':
    case 'unexpected-error':
      return [m.unexpectedError];
  }
}

/** The signed event type of an outcome, when it got that far. */
export function outcomeEventType(outcome: HandledOutcome): string | undefined {
  return 'event' in outcome ? outcome.event?.eventType : undefined;
}

/**
 * Maps a signed event type to its `EventType` dimension value: routed types
 * keep their name, any other becomes {@link UNROUTED_EVENT_TYPE_DIMENSION_VALUE},
 * so new or odd types cannot grow the number of metric series without bound.
 */
export function eventTypeDimension(routedTypes: Iterable<string>): (eventType: string) => string {
  const routed = new Set(routedTypes);
  return (eventType) => (routed.has(eventType) ? eventType : UNROUTED_EVENT_TYPE_DIMENSION_VALUE);
}

/** The parts of a document fixed by its namespace, its counts and whether it has the `EventType` dimension. */
interface EmfTemplate {
  /** The `CloudWatchMetrics` array, as JSON. */
  readonly directives: string;
  /** Each count's member (`"Received":1,`), as JSON. */
  readonly counts: string;
}

/**
 * Templates built so far. Namespaces, outcome count sets and the dimension's
 * presence are few, so this stays small; every request would otherwise
 * serialise the same directive again.
 */
const templates = new Map<string, EmfTemplate>();

function templateOf(namespace: string, counts: readonly MetricName[], dimensioned: boolean) {
  const key = `${dimensioned ? 'd' : 'n'}${counts.join(',')}\n${namespace}`;
  let template = templates.get(key);
  if (template === undefined) {
    template = {
      directives: JSON.stringify([
        {
          Namespace: namespace,
          Dimensions: dimensioned ? [[], [EVENT_TYPE_DIMENSION]] : [[]],
          Metrics: [
            ...counts.map((name) => ({ Name: name, Unit: 'Count' })),
            { Name: METRIC_NAMES.handlerDuration, Unit: 'Milliseconds' },
          ],
        },
      ]),
      counts: counts.map((name) => `${JSON.stringify(name)}:1,`).join(''),
    };
    templates.set(key, template);
  }
  return template;
}

/**
 * One CloudWatch Embedded Metric Format document for a request: `Received`,
 * the outcome's counts and `HandlerDuration`, with service totals (no
 * dimension) and, once the signed event type is known, per `EventType`.
 *
 * The text is that of `JSON.stringify` of `{_aws: {Timestamp,
 * CloudWatchMetrics}, ...counts, HandlerDuration, EventType?}`, with the parts
 * that do not change between requests serialised once.
 *
 * @param dimensionOf maps an event type to its dimension value (see {@link eventTypeDimension}),
 *   or to undefined for service totals only.
 */
export function emfDocument(
  outcome: HandledOutcome,
  namespace: string,
  durationMs: number,
  timestampMs: number,
  dimensionOf: (eventType: string) => string | undefined = (eventType) => eventType,
): string {
  const counts = [METRIC_NAMES.received, ...outcomeCounts(outcome)];
  const signedType = outcomeEventType(outcome);
  const eventType = signedType === undefined ? undefined : dimensionOf(signedType);
  const template = templateOf(namespace, counts, eventType !== undefined);
  const dimension =
    eventType === undefined
      ? ''
      : `,${JSON.stringify(EVENT_TYPE_DIMENSION)}:${JSON.stringify(eventType)}`;
  return (
    `{"_aws":{"Timestamp":${JSON.stringify(timestampMs)},"CloudWatchMetrics":${template.directives}},` +
    `${template.counts}${JSON.stringify(METRIC_NAMES.handlerDuration)}:${JSON.stringify(durationMs)}${dimension}}`
  );
}
