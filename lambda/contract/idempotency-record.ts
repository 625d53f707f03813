/**
 * The DynamoDB idempotency record: its key and attribute names, named once.
 *
 * The construct creates the table with {@link IDEMPOTENCY_PARTITION_KEY} and
 * {@link IDEMPOTENCY_TTL_ATTRIBUTE}; the DynamoDB adapter reads and writes the
 * rest. Changing a name here is a data migration: deployed tables keep old names.
 */

/** Partition key (string): the Apideck `payload.event_id`. */
export const IDEMPOTENCY_PARTITION_KEY = 'event_id';

/** Time-to-live attribute (number, epoch seconds): when the record may be forgotten. */
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'expires_at';

/** Every attribute of an idempotency record, by role. */
export const IDEMPOTENCY_ATTRIBUTES = {
  /** (S) partition key: the event id. */
  eventId: IDEMPOTENCY_PARTITION_KEY,
  /** (S) `IN_PROGRESS` or `COMPLETED`. */
  status: 'status',
  /** (S) random token of the claim that owns the record; release and completion are conditioned on it. */
  claimToken: 'claim_token',
  /** (N) epoch milliseconds after which an `IN_PROGRESS` claim may be taken over. */
  leaseExpiresAt: 'lease_expires_at',
  /** (N) epoch seconds; the table's TTL attribute. Checked explicitly too, since TTL deletion lags. */
  expiresAt: IDEMPOTENCY_TTL_ATTRIBUTE,
  /** (S) the signed `payload.event_type`. */
  eventType: 'event_type',
  /** (S) SHA-256 (hex) of the canonical payload without `execution_attempt`. */
  fingerprint: 'payload_fingerprint',
  /** (N) epoch milliseconds of the claim. */
  claimedAt: 'claimed_at',
  /** (N) epoch milliseconds of completion. */
  completedAt: 'completed_at',
  /** (S) the SNS message id, once published. */
  messageId: 'sns_message_id',
} as const;

/**
 * The ledger of retention changes (see `lambda/domain/retention-history.ts`):
 * one item in the same table under a key no event id maps to (event keys that
 * start with U+FFFD are hashes, `lambda/domain/record-key.ts`). It has no TTL.
 */
export const RETENTION_LEDGER = {
  /** Partition key value of the ledger item. */
  key: '\uFFFDreceiver:retention-ledger',
  /** (N) the retention, in days, of the last change. */
  currentDays: 'retention_days',
  /** (L of M {days: N, since: N}) every change, oldest first; `since` in epoch milliseconds. */
  history: 'retention_history',
} as const;

/** Values of the `status` attribute. */
export const IDEMPOTENCY_STATUS = {
  inProgress: 'IN_PROGRESS',
  completed: 'COMPLETED',
} as const;

/** DynamoDB item actions the handler uses; the construct grants exactly these. */
export const IDEMPOTENCY_TABLE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;
