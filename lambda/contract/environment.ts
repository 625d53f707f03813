/**
 * Names and defaults of the handler's environment variables: the contract
 * between the CDK construct (which sets them) and the handler (which reads them
 * once at cold start, see `lambda/config.ts`).
 */
export const ENVIRONMENT = {
  /** Required. Name of the DynamoDB idempotency table. */
  tableName: 'IDEMPOTENCY_TABLE_NAME',
  /** Required. JSON object: event type -> SNS topic ARN; key `"*"` is the catch-all topic. */
  topicArns: 'TOPIC_ARNS',
  /** Required. Secrets Manager secret id/ARN; `SecretString` is one API key or a JSON array of keys. */
  signingSecretId: 'SIGNING_SECRET_ID',
  /** Optional. Days an idempotency record is kept (the table's TTL). */
  retentionDays: 'IDEMPOTENCY_RETENTION_DAYS',
  /** Optional. Hours subtracted from the retention to get the oldest `occurred_at` accepted. */
  replayMarginHours: 'REPLAY_MARGIN_HOURS',
  /** Optional. Seconds an `occurred_at` may lie in the future (clock skew). */
  maxClockSkewSeconds: 'MAX_CLOCK_SKEW_SECONDS',
  /** Optional. Largest request body accepted, in bytes (after base64 decoding). */
  maxBodyBytes: 'MAX_BODY_BYTES',
  /** Optional. Seconds added to the invocation's remaining time to form a claim's lease. */
  leaseMarginSeconds: 'LEASE_MARGIN_SECONDS',
  /** Optional. Least seconds between two re-reads of the secret after a failed verification. */
  keyRefreshIntervalSeconds: 'KEY_REFRESH_INTERVAL_SECONDS',
  /** Optional. CloudWatch namespace of the handler's metrics. */
  metricsNamespace: 'METRICS_NAMESPACE',
  /**
   * Optional. `true` when every topic is an SNS FIFO topic: each publish then
   * carries a deduplication id (the event id) and a message group (the connection).
   */
  fifo: 'FIFO_TOPICS',
  /**
   * Optional. `false` to write the metrics as service totals only, without the
   * `EventType` dimension: 3 metric series instead of 3 per routed event type,
   * each billed by the hour it receives data.
   */
  metricsByEventType: 'METRICS_BY_EVENT_TYPE',
} as const;

/** Defaults of the optional variables, shared with the construct's prop defaults. */
export const ENVIRONMENT_DEFAULTS = {
  retentionDays: 7,
  replayMarginHours: 24,
  maxClockSkewSeconds: 300,
  /** SNS's message limit (256 KiB); a body larger than this cannot be published anyway. */
  maxBodyBytes: 262_144,
  leaseMarginSeconds: 10,
  keyRefreshIntervalSeconds: 60,
  metricsNamespace: 'ApideckWebhooks',
  fifo: false,
  metricsByEventType: true,
} as const;

/**
 * Apideck retries a failed delivery for about 28 hours (3m, 5m, 10m, 30m, 1h,
 * 2h, 4h, 8h, 12h). The accepted age of an event (retention minus replay margin)
 * must cover that, or a late retry would be refused.
 */
export const MIN_ACCEPTED_EVENT_AGE_HOURS = 28;
