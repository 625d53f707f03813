/**
 * The Webhook API's resources as the stand-in keeps them, named as in
 * `openapi/webhook.yml` (`Webhook`, `WebhookEventLog`).
 */

/** `Webhook.status`. */
export type WebhookStatus = 'enabled' | 'disabled';

/** `Webhook.disabled_reason`. */
export type DisabledReason =
  | 'none'
  | 'retry_limit'
  | 'usage_limit'
  | 'delivery_url_validation_failed';

/** A webhook subscription (`Webhook`). */
export interface Webhook {
  readonly id: string;
  readonly description?: string;
  readonly unified_api: string;
  readonly status: WebhookStatus;
  readonly disabled_reason: DisabledReason;
  readonly delivery_url: string;
  readonly execute_base_url: string;
  readonly events: readonly string[];
  readonly created_at: string;
  readonly updated_at: string;
}

/** One attempt of a delivery (`WebhookEventLog.attempts[]`). */
export interface DeliveryAttemptRecord {
  readonly timestamp: string;
  readonly execution_attempt: number;
  readonly status_code: number;
  readonly success: boolean;
}

/** An event log entry (`WebhookEventLog`). */
export interface WebhookEventLog {
  readonly id: string;
  readonly status_code: number;
  readonly success: boolean;
  readonly application_id: string;
  readonly consumer_id?: string;
  readonly unified_api?: string;
  readonly service?: { readonly id: string; readonly name: string };
  readonly endpoint: string;
  readonly event_type: string;
  readonly execution_attempt: number;
  readonly http_method: string;
  readonly timestamp: string;
  readonly entity_type?: string;
  readonly request_body: string;
  readonly response_body: string;
  readonly retry_scheduled: boolean;
  readonly attempts: readonly DeliveryAttemptRecord[];
}

/** The filter of `GET /webhook/logs` (`WebhookEventLogsFilter`), as parsed from the query. */
export interface WebhookEventLogsFilter {
  readonly exclude_apis?: string | null;
  readonly service?: { readonly id?: string } | null;
  readonly consumer_id?: string | null;
  readonly entity_type?: string | null;
  readonly event_type?: string | null;
  readonly start_date?: string | null;
  readonly end_date?: string | null;
  readonly success?: boolean | null;
  readonly status_code?: number | null;
  readonly status_codes?: readonly number[] | null;
  readonly event_id?: string | null;
  readonly execution_attempt?: number | null;
}
