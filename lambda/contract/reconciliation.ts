/**
 * Names shared by the reconciler and the subscription-health check (which
 * read them), the construct (which sets and graphs them) and the CLI: their
 * environment variables and metrics. The `Recovered` metric and the
 * `recovered` message attribute belong to the delivery path (`METRIC_NAMES`,
 * `RECOVERED_ATTRIBUTE`).
 */

/** Environment variables beyond the receiver's own (`ENVIRONMENT`). */
export const APIDECK_ENVIRONMENT = {
  /** Required. The Apideck application id (`x-apideck-app-id`). */
  appId: 'APIDECK_APP_ID',
  /** Optional. The API key; without it, the first key of the `SIGNING_SECRET_ID` secret. */
  apiKey: 'APIDECK_API_KEY',
  /** Optional. Base URL of Apideck's API. */
  apiUrl: 'APIDECK_API_URL',
  /** Required. This receiver's delivery URL: only subscriptions and log entries for it count. */
  webhookUrl: 'WEBHOOK_URL',
  /** Optional (scheduled reconciliation). Hours of event log each scheduled run reads. */
  reconcileWindowHours: 'RECONCILE_WINDOW_HOURS',
  /** Optional (subscription health). `true` re-enables a `retry_limit` subscription once a signed ping answers 2xx. */
  autoReenable: 'AUTO_REENABLE',
} as const;

/** Defaults of the optional variables, shared with the construct's prop defaults. */
export const APIDECK_ENVIRONMENT_DEFAULTS = {
  apiUrl: 'https://unify.apideck.com',
  reconcileWindowHours: 48,
} as const;

/** Metrics of the reconciler and the health check (same namespace as the receiver's). */
export const RECONCILIATION_METRIC_NAMES = {
  /** Count: events a reconciliation found already published. */
  reconcileAlreadyDelivered: 'ReconcileAlreadyDelivered',
  /** Count: events a reconciliation could not run through (a dependency failed); retried next run. */
  reconcileFailed: 'ReconcileFailed',
  /** Count: reconciliation runs that did not finish (Apideck refused, or the log could not be read). */
  reconcileRunFailed: 'ReconcileRunFailed',
  /** Gauge: subscriptions to this receiver's URL that are disabled (0 when all are enabled). */
  subscriptionDisabled: 'SubscriptionDisabled',
  /** Gauge: subscriptions to this receiver's URL (0 means nothing delivers here). */
  subscriptionCount: 'SubscriptionCount',
  /** Count: subscriptions the health check re-enabled. */
  subscriptionReenabled: 'SubscriptionReenabled',
  /** Count: health checks that could not read the subscriptions. */
  subscriptionCheckFailed: 'SubscriptionCheckFailed',
} as const;

/** A metric name of the reconciler or the health check. */
export type ReconciliationMetricName =
  (typeof RECONCILIATION_METRIC_NAMES)[keyof typeof RECONCILIATION_METRIC_NAMES];
