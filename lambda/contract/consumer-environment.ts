/**
 * Names of the environment variables that the consumer construct
 * (`lib/`, `ApideckEventConsumer`) sets on the subscriber's function and the
 * consumer kit (`apideck-webhooks-aws/consumer`, `createSqsHandler`) reads.
 */
export const CONSUMER_ENVIRONMENT = {
  /**
   * Name of the DynamoDB table that records which events a handler completed
   * (string partition key `id`, TTL attribute `expiration`: Powertools
   * Idempotency's layout).
   */
  idempotencyTableName: 'APIDECK_IDEMPOTENCY_TABLE_NAME',
} as const;
