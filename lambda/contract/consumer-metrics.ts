/**
 * The CloudWatch metric the consumer kit (`createSqsHandler`) emits in
 * Embedded Metric Format, and that the consumer construct can alarm on.
 */
export const CONSUMER_METRICS = {
  /** Namespace of the consumer kit's metrics. */
  namespace: 'ApideckWebhooks/Consumer',
  /** Dimension: the subscriber's function (`AWS_LAMBDA_FUNCTION_NAME`). */
  functionNameDimension: 'FunctionName',
  /**
   * Count: a handler completed but its completion could not be recorded, so
   * the event's retry runs the handler again (the consumer's at-least-once
   * window; the log line names the event id).
   */
  possibleDuplicate: 'PossibleDuplicate',
} as const;
