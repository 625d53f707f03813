/**
 * Names of the handler's CloudWatch metrics (Embedded Metric Format), shared by
 * the handler (which emits them) and the construct (dashboard and alarms).
 *
 * Every request emits one EMF document in the configured namespace with the
 * dimension set `[]` (service totals) and, once the signed event type is known,
 * also `[EventType]`.
 */
export const METRIC_NAMES = {
  /** Count: every request that reached the handler. */
  received: 'Received',
  /** Count: missing or wrong signature (401). */
  signatureRejected: 'SignatureRejected',
  /** Count: events published to SNS. */
  published: 'Published',
  /** Count: deliveries of an event already published (200 duplicate). */
  duplicate: 'Duplicate',
  /** Count: deliveries while another claim on the event is live (409). */
  inProgress: 'InProgress',
  /** Count: same event id, different payload (refused). */
  payloadConflict: 'PayloadConflict',
  /** Count: events of a type without a topic of their own (published to the catch-all topic). */
  unrouted: 'Unrouted',
  /** Count: validly signed requests that are not events (200 ignored). */
  ignored: 'Ignored',
  /** Count: events refused for their `occurred_at` (replay window). */
  replayRefused: 'ReplayRefused',
  /** Count: bodies or messages over the size limit (413). */
  tooLarge: 'TooLarge',
  /** Count: invalid JSON or envelope after verification (400). */
  invalidRequest: 'InvalidRequest',
  /** Count: SNS publish failed (503, claim released). */
  publishFailed: 'PublishFailed',
  /**
   * Count: a publish failed after its request was sent, so SNS may have taken
   * it; the claim was released and Apideck's retry publishes again (a possible
   * duplicate; the log line names the event id).
   */
  publishUncertain: 'PublishUncertain',
  /** Count: events published without an attribute whose value no subscription could carry. */
  attributeDropped: 'AttributeDropped',
  /** Count: events recovered from Apideck's event log by reconciliation and published. */
  recovered: 'Recovered',
  /** Count: published, but marking the claim completed failed (the at-least-once window). */
  completionFailed: 'CompletionFailed',
  /** Count: DynamoDB, SNS or Secrets Manager failed (503). */
  dependencyError: 'DependencyError',
  /** Count: anything unexpected (500). */
  unexpectedError: 'UnexpectedError',
  /** Milliseconds: handler duration. */
  handlerDuration: 'HandlerDuration',
} as const;

/** A metric name of the handler. */
export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/** The dimension that splits metrics by the signed `payload.event_type`. */
export const EVENT_TYPE_DIMENSION = 'EventType';

/**
 * The `EventType` dimension value of every type without a topic of its own:
 * the handler writes it instead of the type's name (so unknown types cannot
 * grow the number of metric series), and the construct graphs it.
 */
export const UNROUTED_EVENT_TYPE_DIMENSION_VALUE = 'unrouted';
