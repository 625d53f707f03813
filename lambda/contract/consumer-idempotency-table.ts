/**
 * The layout of the table in which a consumer records the events its handler
 * completed: Powertools Idempotency's `DynamoDBPersistenceLayer` with its
 * default attribute names. `ApideckEventConsumer` creates the table with it (or
 * checks a table passed in against it) and grants the handler exactly
 * {@link CONSUMER_IDEMPOTENCY_TABLE.actions}.
 */
export const CONSUMER_IDEMPOTENCY_TABLE = {
  /** Partition key (string): the idempotency key of one event. */
  partitionKey: 'id',
  /** Time-to-live attribute (number, epoch seconds). */
  timeToLiveAttribute: 'expiration',
  /** The item actions the persistence layer uses. */
  actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
} as const;
